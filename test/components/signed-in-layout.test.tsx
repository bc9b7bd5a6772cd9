import { screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createQueryClient } from '@/app/query-client';
import { useConnection } from '@/lib/live/connection-store';
import { tokenStorage } from '@/lib/token-storage';
import { renderApp, startAppServer, type AppServer } from './app-harness';

let app: AppServer;
beforeEach(async () => {
  app = await startAppServer();
});
afterEach(async () => {
  tokenStorage.clear();
  await app.close();
});

const streams = () => app.requests.filter((r) => r.startsWith('GET /api/v1/stream'));

describe('the signed-in layout', () => {
  it('sends nobody signed in to sign-in, keeping where they were going', async () => {
    const { router } = await renderApp(app, null, '/experiments?state=running');
    // The route's module loads first: on a busy machine that takes longer than waitFor's 1 s.
    await waitFor(() => expect(router.state.location.pathname).toBe('/sign-in'), {
      timeout: 15_000,
    });
    expect(new URLSearchParams(router.state.location.search).get('next')).toBe(
      '/experiments?state=running',
    );
    // No stream and no /me without a token.
    expect(streams()).toEqual([]);
    expect(app.requests.filter((r) => r.startsWith('GET /api/v1/me'))).toEqual([]);
  });

  it('shows the header with the person, the page, and opens the live stream', async () => {
    await renderApp(app, 'sam-sre', '/experiments');
    expect(
      await screen.findByRole('heading', { level: 1, name: 'Experiments' }, { timeout: 15_000 }),
    ).toBeInTheDocument();
    expect(await screen.findByRole('button', { name: 'Sign out' })).toBeInTheDocument();
    expect(screen.getByRole('banner')).toHaveTextContent(/sam/i);
    expect(screen.getByRole('main')).toBeInTheDocument();
    await waitFor(() => expect(useConnection.getState().state).toBe('live'), { timeout: 15_000 });
    expect(streams()).toHaveLength(1);
  });

  it('goes back to sign-in when the server ends the session, and closes the stream', async () => {
    const { router } = await renderApp(app, 'sam-sre', '/experiments', createQueryClient());
    await screen.findByRole('heading', { level: 1, name: 'Experiments' }, { timeout: 15_000 });
    await waitFor(() => expect(useConnection.getState().state).toBe('live'), { timeout: 15_000 });
    // Signed out elsewhere: the session is gone on the server, and the next read is a 401.
    const revoked = await app.server.call('DELETE', '/api/v1/session', { as: 'sam-sre' });
    expect(revoked.statusCode).toBe(204);
    await router.navigate('/');
    await waitFor(() => expect(router.state.location.pathname).toBe('/sign-in'), {
      timeout: 10_000,
    });
    expect(tokenStorage.get()).toBeNull();
    expect(new URLSearchParams(router.state.location.search).get('next')).toBe('/');
    // Leaving the layout closes the stream and forgets its state.
    await waitFor(() => expect(useConnection.getState().everLive).toBe(false), { timeout: 15_000 });
  });

  it('shows why the person could not be read, with a retry, instead of the page', async () => {
    const failing = {
      ...app,
      fetch: async (input: string, init?: RequestInit) =>
        input.startsWith('/api/v1/me')
          ? new Response(
              JSON.stringify({ error: { code: 'internal', message: 'the store is locked' } }),
              { status: 500, headers: { 'content-type': 'application/json' } },
            )
          : app.fetch(input, init),
    };
    await renderApp(failing, 'sam-sre', '/experiments', createQueryClient());
    expect(
      await screen.findByRole('button', { name: /try again/i }, { timeout: 15_000 }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('heading', { level: 1, name: 'Experiments' })).toBeNull();
    // Still signed in: a failing server is no reason to sign out.
    expect(tokenStorage.get()).not.toBeNull();
    expect(screen.getByRole('button', { name: /halt all/i })).toBeInTheDocument();
  });
});
