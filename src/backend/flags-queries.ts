import { queryOptions } from '@tanstack/react-query';
import type { Environment } from '@/domain/environments';
import type { Backend } from './backend';

/**
 * Flag data lives under ['flags'] and ['segments']: the stream's `resource` events for
 * those families invalidate these prefixes, so lists stay fresh without polling.
 */
export const flagKeys = {
  flags: ['flags'] as const,
  list: ['flags', 'list'] as const,
  flag: (key: string) => ['flags', 'detail', key] as const,
  history: (key: string) => ['flags', 'history', key] as const,
  cohort: (key: string, service: string, environment: Environment) =>
    ['flags', 'cohort', key, service, environment] as const,
  segments: ['segments'] as const,
  ofrepKeys: ['ofrep-keys'] as const,
};

export const flagListQuery = (backend: Backend) =>
  queryOptions({ queryKey: flagKeys.list, queryFn: () => backend.listFlags(), staleTime: 30_000 });

export const flagQuery = (backend: Backend, key: string) =>
  queryOptions({
    queryKey: flagKeys.flag(key),
    queryFn: () => backend.getFlag(key),
    staleTime: 30_000,
  });

export const flagHistoryQuery = (backend: Backend, key: string) =>
  queryOptions({
    queryKey: flagKeys.history(key),
    queryFn: () => backend.flagHistory(key),
    staleTime: 30_000,
  });

export const segmentListQuery = (backend: Backend) =>
  queryOptions({
    queryKey: flagKeys.segments,
    queryFn: () => backend.listSegments(),
    staleTime: 30_000,
  });

export const ofrepKeysQuery = (backend: Backend) =>
  queryOptions({
    queryKey: flagKeys.ofrepKeys,
    queryFn: () => backend.ofrepKeys(),
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
    queryFn: () => backend.flagCohort(key, service, environment),
    staleTime: 30_000,
  });
