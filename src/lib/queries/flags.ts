import { queryOptions } from '@tanstack/react-query';
import type { Environment } from '@/domain/environments';
import type { Backend } from '@/backend/backend';
import { flagKeys } from '@/backend/query-keys';
import { capability } from '../backend-context';

export const flagListQuery = (backend: Backend) =>
  queryOptions({
    queryKey: flagKeys.list,
    queryFn: () => capability(backend, 'flags').listFlags(),
    staleTime: 30_000,
  });

export const flagQuery = (backend: Backend, key: string) =>
  queryOptions({
    queryKey: flagKeys.flag(key),
    queryFn: () => capability(backend, 'flags').getFlag(key),
    staleTime: 30_000,
  });

export const flagHistoryQuery = (backend: Backend, key: string) =>
  queryOptions({
    queryKey: flagKeys.history(key),
    queryFn: () => capability(backend, 'flags').flagHistory(key),
    staleTime: 30_000,
  });

export const segmentListQuery = (backend: Backend) =>
  queryOptions({
    queryKey: flagKeys.segments,
    queryFn: () => capability(backend, 'flags').listSegments(),
    staleTime: 30_000,
  });

export const ofrepKeysQuery = (backend: Backend) =>
  queryOptions({
    queryKey: flagKeys.ofrepKeys,
    queryFn: () => capability(backend, 'flags').ofrepKeys(),
    staleTime: 60_000,
  });

/** Under ['flags']: a flag change on the stream refreshes it. */
export const flagCohortQuery = (
  backend: Backend,
  key: string,
  service: string,
  environment: Environment,
) =>
  queryOptions({
    queryKey: flagKeys.cohort(key, service, environment),
    queryFn: () => capability(backend, 'flags').flagCohort(key, service, environment),
    staleTime: 30_000,
  });
