import { useQuery } from '@tanstack/react-query';
import { can, type Action, type User } from '@/domain/roles';
import { useBackend } from './backend-context';
import { meQuery } from './query-keys';

/** The person signed in (null while loading or signed out). */
export function useCurrentUser(): User | null {
  const backend = useBackend();
  return useQuery(meQuery(backend)).data ?? null;
}

/**
 * Whether to offer an action to the person signed in. Only what is shown: the server
 * decides what is allowed.
 */
export function useCan(action: Action): boolean {
  const user = useCurrentUser();
  return user !== null && can(user.role, action);
}
