import type { Backend, OptionalCapability } from '@/backend/backend';

interface NavLinkEntry {
  to: string;
  label: string;
  /** Active only on that exact path. */
  end?: boolean;
  /** Shown only when the backend has this capability. */
  needs?: OptionalCapability;
}

/** The header's menu, in order. */
const navLinks: NavLinkEntry[] = [
  { to: '/', label: 'Overview', end: true },
  { to: '/experiments', label: 'Experiments' },
  { to: '/flags', label: 'Flags', needs: 'flags' },
  { to: '/rollouts', label: 'Rollouts', needs: 'rollouts' },
  { to: '/gamedays', label: 'Game days', needs: 'gamedays' },
  { to: '/incidents', label: 'Incidents', needs: 'status' },
  { to: '/audit', label: 'Audit', needs: 'audit' },
  { to: '/agents', label: 'Agents', needs: 'agents' },
];

export function navLinksFor(backend: Backend): NavLinkEntry[] {
  return navLinks.filter((link) => !link.needs || backend[link.needs] !== undefined);
}
