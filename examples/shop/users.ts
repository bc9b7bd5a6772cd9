/** Someone who shops: what the flag's targeting reads (email, country, company). */
export interface ShopUser {
  id: string;
  email: string;
  country: string;
  company: string;
}

const COMPANIES: readonly { name: string; domain: string; weight: number }[] = [
  // The company's own people are the first cohort a flag is tried on (email @faultline.dev).
  { name: 'Faultline', domain: 'faultline.dev', weight: 1 },
  // The beta customer that agreed to try features first.
  { name: 'Globex', domain: 'globex.example', weight: 1.5 },
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
const FIRST_NAMES = ['ana', 'ben', 'chen', 'dara', 'eli', 'fatima', 'gus', 'hana', 'ivan', 'juan'];

/** A small seeded generator (mulberry32): the same seed gives the same users and carts. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function pick<T extends { weight: number }>(random: () => number, options: readonly T[]): T {
  const total = options.reduce((sum, option) => sum + option.weight, 0);
  let roll = random() * total;
  for (const option of options) {
    roll -= option.weight;
    if (roll < 0) return option;
  }
  return options[options.length - 1] as T;
}

/** `count` users, the same for the same random source. */
export function shopUsers(random: () => number, count = 200): ShopUser[] {
  return Array.from({ length: count }, (_, i) => {
    const company = pick(random, COMPANIES);
    const country = pick(random, COUNTRIES);
    const first = FIRST_NAMES[Math.floor(random() * FIRST_NAMES.length)] ?? 'user';
    return {
      id: `shopper-${i + 1}`,
      email: `${first}.${i + 1}@${company.domain}`,
      country: country.code,
      company: company.name,
    };
  });
}
