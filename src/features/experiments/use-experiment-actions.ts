import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useBackend } from '@/lib/backend-context';
import type { StartOptions } from '@/backend/backend';
import { queryKeys } from '@/backend/query-keys';
import type { Experiment } from '@/domain/experiment';

function useStoreExperiment() {
  const queryClient = useQueryClient();
  return (experiment: Experiment) => {
    queryClient.setQueryData(queryKeys.experiment(experiment.id), experiment);
    void queryClient.invalidateQueries({ queryKey: queryKeys.experimentLists });
  };
}

export function useStartExperiment(id: string) {
  const backend = useBackend();
  const store = useStoreExperiment();
  return useMutation({
    mutationFn: (options: StartOptions) => backend.experiments.startExperiment(id, options),
    onSuccess: store,
  });
}

export function useHaltExperiment(id: string) {
  const backend = useBackend();
  const store = useStoreExperiment();
  return useMutation({
    mutationFn: () => backend.experiments.haltExperiment(id, { timeoutMs: 5_000 }),
    onSuccess: store,
    // Halting is idempotent: retry a lost request rather than leave it running.
    retry: 3,
    retryDelay: (attempt) => Math.min(500 * 2 ** attempt, 4_000),
  });
}
