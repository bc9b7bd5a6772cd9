import { queryOptions } from '@tanstack/react-query';
import type { Backend } from '@/backend/backend';
import { rolloutKeys } from '@/backend/query-keys';
import { capability } from '../backend-context';

/**
 * Rollouts move on the server's tick; the stream's `resource: rollouts` events invalidate
 * the family (stream-sync.ts), so these stay fresh without polling.
 */
export const rolloutListQuery = (backend: Backend) =>
  queryOptions({
    queryKey: rolloutKeys.list,
    queryFn: ({ signal }) => capability(backend, 'rollouts').listRollouts({ signal }),
    staleTime: 30_000,
  });

export const rolloutQuery = (backend: Backend, id: string) =>
  queryOptions({
    queryKey: rolloutKeys.rollout(id),
    queryFn: ({ signal }) => capability(backend, 'rollouts').getRollout(id, { signal }),
    staleTime: 30_000,
  });
