import type { Backend, OptionalCapability } from '@/backend/backend';
import { can, type Action, type User } from '@/domain/roles';

interface NavLinkEntry {
  to: string;
  label: string;
  /** Active only on that exact path. */
  end?: boolean;
  /** Shown only when the backend has this capability. */
  needs?: OptionalCapability;
  /** Shown only to people whose role may do this (on a backend with identity). */
  action?: Action;
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
  {
    to: '/notifications',
    label: 'Notifications',
    needs: 'notifications',
    action: 'admin.settings',
  },
];

export function navLinksFor(backend: Backend, user: User | null = null): NavLinkEntry[] {
  const allowed = (action: Action) =>
    backend.identity === undefined || (user !== null && can(user.role, action));
  return navLinks.filter(
    (link) =>
      (!link.needs || backend[link.needs] !== undefined) && (!link.action || allowed(link.action)),
  );
}
