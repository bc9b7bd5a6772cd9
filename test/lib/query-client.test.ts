// @vitest-environment jsdom
import {
  QueryObserver,
  type QueryClient,
  type QueryKey,
  type QueryObserverOptions,
} from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createQueryClient } from '@/app/query-client';
import { QUERY_RETRIES, retryQuery } from '@/lib/query-retry';
import { BackendError, type BackendErrorKind } from '@/backend/errors';
import { createHttpBackend, type FetchFunction } from '@/backend/http/http-backend';
import { fleetQuery } from '@/lib/queries/experiments';
import { tokenStorage } from '@/lib/token-storage';
import { startTestServer, tokenFor, type TestServer } from '../components/designer-harness';

describe('which failed reads are tried again', () => {
  it.each<[BackendErrorKind, boolean]>([
    ['unavailable', true],
    ['unauthorised', false],
    ['forbidden', false],
    ['not-found', false],
    ['conflict', false],
    ['invalid', false],
    ['refused', false],
    ['bad-response', false],
  ])('%s: tried again %s', (kind, again) => {
    const error = new BackendError(kind, kind);
    expect(retryQuery(0, error)).toBe(again);
    // Never past the limit, whatever the error.
    expect(retryQuery(QUERY_RETRIES, error)).toBe(false);
  });

  it('tries a failure that is no backend error again (a bug in a query function), within the limit', () => {
    expect(retryQuery(0, new TypeError('x is undefined'))).toBe(true);
    expect(retryQuery(QUERY_RETRIES, new TypeError('x is undefined'))).toBe(false);
  });
});

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  tokenStorage.clear();
  await server.close();
});

type Network = 'up' | 'down';

/** The app's query client over the real adapter and the real server, behind a network the test controls. */
async function signedIn(user: string) {
  tokenStorage.set(await tokenFor(server, user), false);
  const state = { network: 'up' as Network, reads: 0 };
  const fetch: FetchFunction = async (input, init = {}) => {
    state.reads++;
    if (state.network === 'down') throw new TypeError('Failed to fetch');
    return server.fetch(input, init);
  };
  const backend = createHttpBackend({ fetch, baseUrl: '', getToken: () => tokenStorage.get() });
  const queryClient = createQueryClient();
  // The rules under test stay the app's; only the wait between tries is cut short.
  queryClient.setQueryDefaults(['fleet'], { retryDelay: 1 });
  return { backend, queryClient, state };
}

/** Watches a query as a component would, until it has an answer or has given up. */
async function settle<T, K extends QueryKey>(
  queryClient: QueryClient,
  options: QueryObserverOptions<T, Error, T, T, K>,
) {
  const observer = new QueryObserver(queryClient, options);
  const stop = observer.subscribe(() => {});
  await vi.waitFor(() => expect(observer.getCurrentResult().fetchStatus).toBe('idle'));
  await vi.waitFor(() => expect(observer.getCurrentResult().status).not.toBe('pending'));
  stop();
  return observer.getCurrentResult();
}

describe("the app's query client", () => {
  it('reads again, twice at most, when the server cannot be reached', async () => {
    const { backend, queryClient, state } = await signedIn('vic-viewer');
    state.network = 'down';
    const result = await settle(queryClient, fleetQuery(backend));
    expect(result.status).toBe('error');
    expect((result.error as BackendError).kind).toBe('unavailable');
    expect(state.reads).toBe(1 + QUERY_RETRIES);
    expect(tokenStorage.get()).not.toBeNull();
  });

  it('signs the person out on the first unauthorised answer, without reading again', async () => {
    const { backend, queryClient, state } = await signedIn('vic-viewer');
    // The session ends on the server (signed out elsewhere): the next read gets a real 401.
    const revoked = await server.fetch('/api/v1/session', {
      method: 'DELETE',
      headers: { authorization: `Bearer ${tokenStorage.get() ?? ''}` },
    });
    expect(revoked.status).toBe(204);
    const result = await settle(queryClient, fleetQuery(backend));
    expect((result.error as BackendError).kind).toBe('unauthorised');
    expect(state.reads).toBe(1);
    expect(tokenStorage.get()).toBeNull();
  });

  it('signs the person out when a write meets an unauthorised answer', async () => {
    const { backend, queryClient } = await signedIn('sam-sre');
    tokenStorage.set('a-token-the-server-never-issued', false);
    const write = queryClient
      .getMutationCache()
      .build(queryClient, { mutationFn: () => backend.experiments.haltAll({}) });
    await expect(write.execute(undefined)).rejects.toMatchObject({ kind: 'unauthorised' });
    expect(tokenStorage.get()).toBeNull();
  });

  it('keeps the person signed in when a read is refused for another reason', async () => {
    const { backend, queryClient, state } = await signedIn('vic-viewer');
    const result = await settle(queryClient, {
      queryKey: ['fleet', 'missing'],
      queryFn: () => backend.experiments.getExperiment('no-such-experiment'),
    });
    expect((result.error as BackendError).kind).toBe('not-found');
    expect(state.reads).toBe(1);
    expect(tokenStorage.get()).not.toBeNull();
  });
});
