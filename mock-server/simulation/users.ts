import type { Random } from '../random';

/** Someone whose requests the fleet serves; flag targeting decides which code path serves them. */
export interface SimulatedUser {
  id: string;
  email: string;
  country: string;
  company: string;
}

/** The company's own domain: its employees are the first cohort a flag is tried on. */
const OWN_DOMAIN = 'faultline.dev';
/** The customer that agreed to try features first. */
const BETA_COMPANY = 'Globex';

const COMPANIES: readonly { name: string; domain: string; weight: number }[] = [
  { name: 'Faultline', domain: OWN_DOMAIN, weight: 1 },
  { name: BETA_COMPANY, domain: 'globex.example', weight: 1.5 },
  { name: 'Acme', domain: 'acme.example', weight: 3 },
  { name: 'Initech', domain: 'initech.example', weight: 2 },
  { name: 'Umbrella', domain: 'umbrella.example', weight: 2 },
  { name: 'Hooli', domain: 'hooli.example', weight: 1.5 },
];
const COUNTRIES: readonly { code: string; weight: number }[] = [
  { code: 'US', weight: 4 },
  { code: 'DE', weight: 2 },
  { code: 'CO', weight: 1.5 },
  { code: 'GB', weight: 1.5 },
  { code: 'BR', weight: 1 },
  { code: 'IN', weight: 1.5 },
  { code: 'JP', weight: 1 },
  { code: 'FR', weight: 1 },
];
const FIRST_NAMES = [
  'ana',
  'ben',
  'chen',
  'dara',
  'eli',
  'fatima',
  'gus',
  'hana',
  'ivan',
  'juan',
  'kai',
  'lena',
  'mo',
  'nia',
  'omar',
  'pia',
];

function pick<T extends { weight: number }>(random: Random, options: readonly T[]): T {
  const total = options.reduce((sum, o) => sum + o.weight, 0);
  let roll = random.next() * total;
  for (const option of options) {
    roll -= option.weight;
    if (roll < 0) return option;
  }
  return options[options.length - 1] as T;
}

/** `count` users, the same for the same random source. */
export function buildUsers(random: Random, count = 240): SimulatedUser[] {
  const users: SimulatedUser[] = [];
  for (let i = 0; i < count; i++) {
    const company = pick(random, COMPANIES);
    const country = pick(random, COUNTRIES);
    const first = FIRST_NAMES[Math.floor(random.next() * FIRST_NAMES.length)] ?? 'user';
    users.push({
      id: `u${i + 1}`,
      email: `${first}.${i + 1}@${company.domain}`,
      country: country.code,
      company: company.name,
    });
  }
  return users;
}
