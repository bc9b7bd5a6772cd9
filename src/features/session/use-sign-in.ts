import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useBackend, capability } from '@/lib/backend-context';
import { queryKeys } from '@/backend/query-keys';
import type { User } from '@/domain/roles';
import { tokenStorage } from '@/lib/token-storage';

type SignInRequest =
  | { kind: 'demo'; user: string; remember: boolean }
  | { kind: 'token'; token: string; remember: boolean };

/** Signs in with a demo user or a pasted token; a token is checked with the server before it is kept. */
export function useSignIn(onSignedIn: (user: User) => void) {
  const backend = useBackend();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (request: SignInRequest): Promise<User> => {
      if (request.kind === 'demo') {
        const createDemoSession = capability(backend, 'identity').createDemoSession;
        if (!createDemoSession) throw new Error('This backend has no demo users.');
        const session = await createDemoSession(request.user);
        tokenStorage.set(session.token, request.remember);
        return session.user;
      }
      tokenStorage.set(request.token.trim(), request.remember);
      try {
        return await capability(backend, 'identity').me();
      } catch (error) {
        tokenStorage.clear();
        throw error;
      }
    },
    onSuccess: (user) => {
      queryClient.setQueryData(queryKeys.me, user);
      onSignedIn(user);
    },
  });
}
