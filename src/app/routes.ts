import type { RouteObject } from 'react-router';
import type { Backend, OptionalCapability } from '@/backend/backend';

/** A page, and the capability it needs when that is one a backend may leave out. */
interface Page {
  route: RouteObject;
  needs?: OptionalCapability;
}

/**
 * Pages behind sign-in, drawn under the header. Each is its own lazily loaded module, so a
 * page's code (the monitor's charts, the designer) loads only when it is opened.
 * A new page is one line here (and one in nav-links.ts if it belongs in the menu).
 */
const signedInPages: Page[] = [
  { route: { index: true, lazy: () => import('./routes/overview-route') } },
  { route: { path: 'experiments', lazy: () => import('./routes/experiments-route') } },
  { route: { path: 'experiments/:id', lazy: () => import('./routes/experiment-detail-route') } },
  { route: { path: 'experiments/new', lazy: () => import('./routes/experiment-new-route') } },
  {
    route: { path: 'experiments/:id/edit', lazy: () => import('./routes/experiment-edit-route') },
  },
  { needs: 'flags', route: { path: 'flags', lazy: () => import('./routes/flags-route') } },
  { needs: 'flags', route: { path: 'flags/:key', lazy: () => import('./routes/flag-route') } },
  { needs: 'rollouts', route: { path: 'rollouts', lazy: () => import('./routes/rollouts-route') } },
  {
    needs: 'rollouts',
    route: { path: 'rollouts/new', lazy: () => import('./routes/rollout-new-route') },
  },
  {
    needs: 'rollouts',
    route: { path: 'rollouts/:id', lazy: () => import('./routes/rollout-route') },
  },
  { needs: 'gamedays', route: { path: 'gamedays', lazy: () => import('./routes/gamedays-route') } },
  {
    needs: 'gamedays',
    route: { path: 'gamedays/new', lazy: () => import('./routes/gameday-new-route') },
  },
  {
    needs: 'gamedays',
    route: { path: 'gamedays/:id', lazy: () => import('./routes/gameday-detail-route') },
  },
  {
    needs: 'gamedays',
    route: { path: 'gamedays/:id/edit', lazy: () => import('./routes/gameday-edit-route') },
  },
  { needs: 'audit', route: { path: 'audit', lazy: () => import('./routes/audit-route') } },
  { needs: 'agents', route: { path: 'agents', lazy: () => import('./routes/agents-route') } },
  {
    needs: 'notifications',
    route: { path: 'notifications', lazy: () => import('./routes/notifications-route') },
  },
  { needs: 'status', route: { path: 'incidents', lazy: () => import('./routes/incidents-route') } },
];

/** Pages anyone may open, without the header and without signing in. */
const publicPages: Page[] = [
  { needs: 'identity', route: { path: 'sign-in', lazy: () => import('./routes/sign-in-route') } },
  { needs: 'status', route: { path: 'status', lazy: () => import('./routes/status-route') } },
];

/** The pages of the capabilities `backend` has: an absent one's paths are simply not found. */
function pagesFor(pages: Page[], backend: Backend): RouteObject[] {
  return pages
    .filter((page) => !page.needs || backend[page.needs] !== undefined)
    .map((p) => p.route);
}

export const signedInRoutes = (backend: Backend) => pagesFor(signedInPages, backend);
export const publicRoutes = (backend: Backend) => pagesFor(publicPages, backend);
