import { QueryClient } from '@tanstack/react-query';
import { retryQuery } from '@/lib/query-retry';

/**
 * The standalone status page's query client. A read is tried again by the dashboard's rule:
 * only when the backend was unavailable, never after a refusal (a private page, a revoked
 * share link), which a second try would only repeat.
 */
export function createStatusQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: { queries: { refetchOnWindowFocus: false, retry: retryQuery } },
  });
}
