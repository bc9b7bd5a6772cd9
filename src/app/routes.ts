import type { RouteObject } from 'react-router';

/**
 * Pages behind sign-in, drawn under the header. Each is its own lazily loaded module, so a
 * page's code (the monitor's charts, the designer) loads only when it is opened.
 * A new page is one line here (and one in nav-links.ts if it belongs in the menu).
 */
export const signedInRoutes: RouteObject[] = [
  { index: true, lazy: () => import('./routes/overview-route') },
  { path: 'experiments', lazy: () => import('./routes/experiments-route') },
  { path: 'experiments/:id', lazy: () => import('./routes/experiment-detail-route') },
  { path: 'experiments/new', lazy: () => import('./routes/experiment-new-route') },
  { path: 'experiments/:id/edit', lazy: () => import('./routes/experiment-edit-route') },
  { path: 'flags', lazy: () => import('./routes/flags-route') },
  { path: 'flags/:key', lazy: () => import('./routes/flag-route') },
  { path: 'gamedays', lazy: () => import('./routes/gamedays-route') },
  { path: 'gamedays/new', lazy: () => import('./routes/gameday-new-route') },
  { path: 'gamedays/:id', lazy: () => import('./routes/gameday-detail-route') },
  { path: 'gamedays/:id/edit', lazy: () => import('./routes/gameday-edit-route') },
  { path: 'audit', lazy: () => import('./routes/audit-route') },
  { path: 'incidents', lazy: () => import('./routes/incidents-route') },
];

/** Pages anyone may open, without the header and without signing in. */
export const publicRoutes: RouteObject[] = [
  { path: 'sign-in', lazy: () => import('./routes/sign-in-route') },
  { path: 'status', lazy: () => import('./routes/status-route') },
];
