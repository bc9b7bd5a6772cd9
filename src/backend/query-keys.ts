import { queryOptions } from '@tanstack/react-query';
import type { Backend, ExperimentFilter, MetricHistoryQuery } from './backend';

/**
 * Keys are arrays so a prefix names a family: invalidating ['experiments'] reaches the
 * lists and every experiment. Each endpoint has one options object, used by its hook,
 * by prefetching and by invalidation alike.
 */
export const queryKeys = {
  auth: ['auth'] as const,
  me: ['me'] as const,
  fleet: ['fleet'] as const,
  experiments: ['experiments'] as const,
  experimentLists: ['experiments', 'list'] as const,
  experimentList: (filter: ExperimentFilter) => ['experiments', 'list', filter] as const,
  experiment: (id: string) => ['experiments', id] as const,
  metricHistory: (query: MetricHistoryQuery) => ['metrics', query] as const,
};

export const authInfoQuery = (backend: Backend) =>
  queryOptions({ queryKey: queryKeys.auth, queryFn: () => backend.authInfo(), staleTime: 60_000 });

export const meQuery = (backend: Backend) =>
  queryOptions({ queryKey: queryKeys.me, queryFn: () => backend.me(), staleTime: 5 * 60_000 });

export const fleetQuery = (backend: Backend) =>
  queryOptions({
    queryKey: queryKeys.fleet,
    queryFn: () => backend.fleet(),
    staleTime: 5 * 60_000,
  });

/** Lists stay fresh through the stream (events invalidate them), not by polling. */
export const experimentListQuery = (backend: Backend, filter: ExperimentFilter = {}) =>
  queryOptions({
    queryKey: queryKeys.experimentList(filter),
    queryFn: () => backend.listExperiments(filter),
    staleTime: 30_000,
  });

export const experimentQuery = (backend: Backend, id: string) =>
  queryOptions({
    queryKey: queryKeys.experiment(id),
    queryFn: () => backend.getExperiment(id),
    staleTime: 30_000,
  });

/** History is immutable once written; the live part comes from the stream. */
export const metricHistoryQuery = (backend: Backend, query: MetricHistoryQuery) =>
  queryOptions({
    queryKey: queryKeys.metricHistory(query),
    queryFn: ({ signal }) => backend.metricHistory(query, { signal }),
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 60_000,
  });
