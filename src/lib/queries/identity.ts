import { queryOptions } from '@tanstack/react-query';
import type { Backend } from '@/backend/backend';
import { queryKeys } from '@/backend/query-keys';
import { capability } from '../backend-context';

export const authInfoQuery = (backend: Backend) =>
  queryOptions({
    queryKey: queryKeys.auth,
    queryFn: () => capability(backend, 'identity').authInfo(),
    staleTime: 60_000,
  });

export const meQuery = (backend: Backend) =>
  queryOptions({
    queryKey: queryKeys.me,
    queryFn: () => capability(backend, 'identity').me(),
    staleTime: 5 * 60_000,
  });
