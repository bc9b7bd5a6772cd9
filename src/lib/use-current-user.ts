import { useQuery } from '@tanstack/react-query';
import { can, type Action, type User } from '@/domain/roles';
import { useBackend } from './backend-context';
import { meQuery } from './queries/identity';

/** The person signed in (null while loading, signed out, or on a backend without identity). */
export function useCurrentUser(): User | null {
  const backend = useBackend();
  const identity = backend.identity !== undefined;
  return useQuery({ ...meQuery(backend), enabled: identity }).data ?? null;
}

/**
 * Whether to offer an action to the person signed in. Only what is shown: the backend
 * decides what is allowed. A backend without identity has no roles to go by, so every
 * action is offered and the backend refuses what it will not do.
 */
export function useCan(action: Action): boolean {
  const backend = useBackend();
  const user = useCurrentUser();
  if (backend.identity === undefined) return true;
  return user !== null && can(user.role, action);
}
