// @vitest-environment jsdom
import { QueryObserver, type QueryClient } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BackendError } from '@/backend/errors';
import { createHttpStatusSource } from '@/backend/http/status';
import type { FetchFunction } from '@/backend/http/http-backend';
import { createStatusQueryClient } from '@/features/status/status-query-client';
import { statusPageQuery } from '@/lib/queries/status';
import { QUERY_RETRIES } from '@/lib/query-retry';
import { startTestServer, tokenFor, type TestServer } from '../components/designer-harness';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(() => server.close());

/** The standalone page's client and source over the real server, behind a network the test controls. */
function statusPage(shareToken: string | null) {
  const state = { network: 'up' as 'up' | 'down', reads: 0 };
  const fetch: FetchFunction = async (input, init = {}) => {
    state.reads++;
    if (state.network === 'down') throw new TypeError('Failed to fetch');
    return server.fetch(input, init);
  };
  const source = createHttpStatusSource({ fetch, baseUrl: '' });
  const queryClient = createStatusQueryClient();
  const query = statusPageQuery(source, shareToken);
  // The rule under test stays the page's; only the wait between tries is cut short.
  queryClient.setQueryDefaults(query.queryKey, { retryDelay: 1 });
  return { queryClient, query, state };
}

/** Watches the page's query as the page would, until it has an answer or has given up. */
async function settle(queryClient: QueryClient, query: ReturnType<typeof statusPage>['query']) {
  const observer = new QueryObserver(queryClient, query);
  const stop = observer.subscribe(() => {});
  await vi.waitFor(() => expect(observer.getCurrentResult().fetchStatus).toBe('idle'));
  stop();
  return observer.getCurrentResult();
}

describe("the status page's query client", () => {
  it('reads again, twice at most, when the server cannot be reached', async () => {
    const { queryClient, query, state } = statusPage(null);
    state.network = 'down';
    const result = await settle(queryClient, query);
    expect((result.error as BackendError | null)?.kind).toBe('unavailable');
    expect(state.reads).toBe(1 + QUERY_RETRIES);
  });

  it('does not read again when the share link is refused', async () => {
    const admin = await tokenFor(server, 'ada-admin');
    const closed = await server.fetch('/api/v1/status/settings', {
      method: 'PUT',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ version: 1, enabled: true, tokenRequired: true }),
    });
    expect(closed.status).toBe(200);
    const { queryClient, query, state } = statusPage('not-the-share-token');
    const result = await settle(queryClient, query);
    expect((result.error as BackendError | null)?.kind).toBe('forbidden');
    expect(state.reads).toBe(1);
  });
});
