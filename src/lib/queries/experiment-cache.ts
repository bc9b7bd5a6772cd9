import type { QueryClient } from '@tanstack/react-query';
import { queryKeys } from '@/backend/query-keys';
import type { Experiment } from '@/domain/experiment';

/**
 * Puts an experiment into its cache entry unless the entry already holds a newer version:
 * the stream and a request's answer race, and a start answered after the stream carried the
 * abort must not bring back "running".
 */
export function storeExperiment(queryClient: QueryClient, experiment: Experiment): void {
  queryClient.setQueryData<Experiment>(queryKeys.experiment(experiment.id), (cached) =>
    cached && cached.version > experiment.version ? cached : experiment,
  );
}

/**
 * Refetches every experiment list. A list on screen still waiting for its first answer
 * cannot be patched, and invalidating it alone would only wait for that answer, which may
 * predate the change: that request is dropped and the list asked again, as TanStack Query
 * does on its own for a list that has data.
 */
export function refetchExperimentLists(queryClient: QueryClient): Promise<void> {
  const lists = { queryKey: queryKeys.experimentLists };
  const firstLoads = queryClient
    .getQueryCache()
    .findAll({ ...lists, type: 'active', fetchStatus: 'fetching' })
    .filter((query) => query.state.data === undefined);
  for (const query of firstLoads) void query.cancel({ silent: true });
  return queryClient.invalidateQueries(lists);
}
