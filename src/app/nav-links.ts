/** The header's menu, in order. `end`: active only on that exact path. */
export const navLinks: { to: string; label: string; end?: boolean }[] = [
  { to: '/', label: 'Overview', end: true },
  { to: '/experiments', label: 'Experiments' },
  { to: '/flags', label: 'Flags' },
  { to: '/gamedays', label: 'Game days' },
  { to: '/incidents', label: 'Incidents' },
  { to: '/audit', label: 'Audit' },
];
