import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpBackend } from '@/backend/http/http-backend';
import { seriesKey } from '@/domain/metrics';
import { useRecentValues } from '@/features/experiments/designer/use-recent-values';
import { useMetricHistory } from '@/features/monitor/use-metric-history';
import { BackendProvider } from '@/lib/backend-context';
import { getSeries } from '@/lib/live/live-metrics-store';
import { startTestServer, tokenFor, type TestServer } from './designer-harness';

let server: TestServer;
let queryClient: QueryClient;
let token: string;
beforeEach(async () => {
  server = await startTestServer();
  token = await tokenFor(server, 'vic-viewer');
  server.tick(30);
  queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
});
afterEach(() => server.close());

function wrapper({ children }: { children: ReactNode }) {
  const backend = createHttpBackend({ fetch: server.fetch, baseUrl: '', getToken: () => token });
  return (
    <BackendProvider backend={backend}>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </BackendProvider>
  );
}

/** Every sample the query cache holds, whatever the query. */
function samplesInCache(): number {
  let count = 0;
  for (const query of queryClient.getQueryCache().getAll()) {
    const data: unknown = query.state.data;
    if (Array.isArray(data)) count += data.length;
    else if (data && typeof data === 'object' && 'samples' in data)
      count += (data as { samples: unknown[] }).samples.length;
  }
  return count;
}

const key = seriesKey({ service: 'checkout', environment: 'staging', group: 'all' });

describe('metric history in the browser', () => {
  it('is held once, in the live series, not also in the query cache', async () => {
    const { result } = renderHook(
      () =>
        useMetricHistory({ id: 'none', service: 'checkout', environment: 'staging', run: null }),
      { wrapper },
    );
    await waitFor(() => expect(getSeries(key)?.length).toBe(30));
    expect(result.current).toBeNull();
    expect(samplesInCache()).toBe(0);
    expect(server.requests.filter((r) => r.startsWith('GET /api/v1/metrics'))).toHaveLength(1);
  });

  it('gives the designer its recent values from the same series', async () => {
    const { result } = renderHook(() => useRecentValues('checkout', 'staging', 'error_rate'), {
      wrapper,
    });
    await waitFor(() => expect(result.current.values).toHaveLength(30));
    expect(result.current.loading).toBe(false);
    expect(result.current.values[29]?.t).toBe(getSeries(key)?.newestTime());
    expect(samplesInCache()).toBe(0);
  });
});
