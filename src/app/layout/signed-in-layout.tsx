import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import { isUnauthorised } from '@/backend/errors';
import { useBackend } from '@/lib/backend-context';
import { resetConnection } from '@/lib/live/connection-store';
import { connectLiveUpdates } from '@/lib/live/stream-sync';
import { ErrorMessage } from '@/components/error-message';
import { StaleBanner } from '@/components/stale-banner';
import { useToken } from '@/lib/use-token';
import { AppHeader } from './app-header';
import { meQuery } from '@/lib/queries/identity';

/** Every signed-in page: the header, the stale banner, and the live stream behind them. */
function SignedInLayout() {
  const backend = useBackend();
  // A backend without identity has no sign-in: its pages are open.
  const signInNeeded = backend.identity !== undefined;
  const storedToken = useToken();
  const token = signInNeeded ? storedToken : '';
  const location = useLocation();
  const queryClient = useQueryClient();
  const me = useQuery({ ...meQuery(backend), enabled: signInNeeded && token !== null });

  useEffect(() => {
    if (token === null) return;
    const close = connectLiveUpdates(backend, queryClient);
    return () => {
      close();
      resetConnection();
    };
  }, [backend, queryClient, token]);

  if (token === null) {
    const next = encodeURIComponent(`${location.pathname}${location.search}`);
    return <Navigate to={`/sign-in?next=${next}`} replace />;
  }
  // Signing out (the query client forgets the token) leads back to sign-in on its own.
  const unauthenticated = isUnauthorised(me.error);
  return (
    <div className="flex min-h-screen flex-col">
      <a
        href="#main"
        className={
          'sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 ' +
          'focus:rounded focus:bg-accent focus:px-3 focus:py-2 focus:text-bg'
        }
      >
        Skip to content
      </a>
      <AppHeader user={me.data ?? null} />
      <StaleBanner />
      <main
        id="main"
        tabIndex={-1}
        className="mx-auto w-full max-w-[120rem] flex-1 px-4 py-6 md:px-6"
      >
        {me.error && !unauthenticated ? (
          <ErrorMessage error={me.error} retry={() => void me.refetch()} />
        ) : (
          <Outlet />
        )}
      </main>
    </div>
  );
}

export { SignedInLayout as Component };
