import { queryOptions } from '@tanstack/react-query';
import type { Backend, ExperimentFilter, MetricHistoryQuery } from '@/backend/backend';
import { queryKeys } from '@/backend/query-keys';

/**
 * One options object per endpoint, used by its hook, by prefetching and by invalidation
 * alike. Lists stay fresh through the stream (events patch or invalidate them), not by
 * polling.
 */
export const experimentListQuery = (backend: Backend, filter: ExperimentFilter = {}) =>
  queryOptions({
    queryKey: queryKeys.experimentList(filter),
    queryFn: () => backend.experiments.listExperiments(filter),
    staleTime: 30_000,
  });

export const experimentQuery = (backend: Backend, id: string) =>
  queryOptions({
    queryKey: queryKeys.experiment(id),
    queryFn: () => backend.experiments.getExperiment(id),
    staleTime: 30_000,
  });

export const fleetQuery = (backend: Backend) =>
  queryOptions({
    queryKey: queryKeys.fleet,
    queryFn: () => backend.fleet.fleet(),
    staleTime: 5 * 60_000,
  });

/** History is immutable once written; the live part comes from the stream. */
export const metricHistoryQuery = (backend: Backend, query: MetricHistoryQuery) =>
  queryOptions({
    queryKey: queryKeys.metricHistory(query),
    queryFn: ({ signal }) => backend.fleet.metricHistory(query, { signal }),
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 60_000,
  });
