import { queryOptions } from '@tanstack/react-query';
import type { Backend, ExperimentFilter, MetricHistoryQuery } from '@/backend/backend';
import { queryKeys } from '@/backend/query-keys';
import { mergeHistory } from '@/lib/live/live-metrics-store';

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

/**
 * History is immutable once written and the live part comes from the stream. The samples are
 * held once, in the live series' ring buffers: the query puts them there and keeps only how
 * many came, so loading, errors and "fetched already" still go through the query cache.
 */
export const metricHistoryQuery = (backend: Backend, query: MetricHistoryQuery) =>
  queryOptions({
    queryKey: queryKeys.metricHistory(query),
    queryFn: async ({ signal }) => {
      const samples = await backend.fleet.metricHistory(query, { signal });
      mergeHistory(samples);
      return samples.length;
    },
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 60_000,
  });
