import { createBrowserRouter, Outlet } from 'react-router';
import { RouteError } from './route-error';
import { publicRoutes, signedInRoutes } from './routes';

function PageLoading() {
  return <p className="p-6 text-muted">Loading…</p>;
}

export function createAppRouter() {
  return createBrowserRouter([
    {
      Component: Outlet,
      ErrorBoundary: RouteError,
      HydrateFallback: PageLoading,
      children: [
        {
          path: '/',
          lazy: () => import('./layout/signed-in-layout'),
          children: [
            ...signedInRoutes,
            { path: '*', lazy: () => import('./routes/not-found-route') },
          ],
        },
        ...publicRoutes,
      ],
    },
  ]);
}
