import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { isApiError } from '@/backend/api-error';
import { tokenStorage } from '@/lib/token-storage';

/** A 401 anywhere means the token is gone or revoked: forget it, which leads to sign-in. */
function signOutOnUnauthenticated(error: unknown) {
  if (isApiError(error) && error.status === 401 && tokenStorage.get() !== null)
    tokenStorage.clear();
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({ onError: signOutOnUnauthenticated }),
    mutationCache: new MutationCache({ onError: signOutOnUnauthenticated }),
    defaultOptions: {
      queries: {
        // Freshness comes from the live stream; refetching on focus would only add load.
        refetchOnWindowFocus: false,
        retry: (failures, error) => failures < 2 && (!isApiError(error) || error.retryable),
      },
      mutations: { retry: false },
    },
  });
}
