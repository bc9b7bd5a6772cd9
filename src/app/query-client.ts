import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { isBackendError, isUnauthorised } from '@/backend/errors';
import { tokenStorage } from '@/lib/token-storage';

/** An `unauthorised` anywhere means the token is gone or revoked: forget it, which leads to sign-in. */
function signOutOnUnauthorised(error: unknown) {
  if (isUnauthorised(error) && tokenStorage.get() !== null) tokenStorage.clear();
}

/** How many times a failed read is tried again, when trying again may help. */
export const QUERY_RETRIES = 2;

/** A read is retried only when the backend says it was unavailable, never after a refusal. */
export function retryQuery(failures: number, error: unknown): boolean {
  return failures < QUERY_RETRIES && (!isBackendError(error) || error.retryable);
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({ onError: signOutOnUnauthorised }),
    mutationCache: new MutationCache({ onError: signOutOnUnauthorised }),
    defaultOptions: {
      queries: {
        // Freshness comes from the live stream; refetching on focus would only add load.
        refetchOnWindowFocus: false,
        retry: retryQuery,
      },
      mutations: { retry: false },
    },
  });
}
