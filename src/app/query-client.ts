import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { isUnauthorised } from '@/backend/errors';
import { retryQuery } from '@/lib/query-retry';
import { tokenStorage } from '@/lib/token-storage';

/** An `unauthorised` anywhere means the token is gone or revoked: forget it, which leads to sign-in. */
function signOutOnUnauthorised(error: unknown) {
  if (isUnauthorised(error) && tokenStorage.get() !== null) tokenStorage.clear();
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
