import { createBrowserRouter, Outlet, type RouteObject } from 'react-router';
import type { Backend } from '@/backend/backend';
import { RouteError } from './route-error';
import { publicRoutes, signedInRoutes } from './routes';

function PageLoading() {
  return <p className="p-6 text-muted">Loading…</p>;
}

/** The app's pages for `backend`: a capability it lacks has no routes. */
export function appRoutes(backend: Backend): RouteObject[] {
  return [
    {
      Component: Outlet,
      ErrorBoundary: RouteError,
      HydrateFallback: PageLoading,
      children: [
        {
          path: '/',
          lazy: () => import('./layout/signed-in-layout'),
          children: [
            ...signedInRoutes(backend),
            { path: '*', lazy: () => import('./routes/not-found-route') },
          ],
        },
        ...publicRoutes(backend),
      ],
    },
  ];
}

export function createAppRouter(backend: Backend) {
  return createBrowserRouter(appRoutes(backend));
}
