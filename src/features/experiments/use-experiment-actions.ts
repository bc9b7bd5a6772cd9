import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useBackend } from '@/lib/backend-context';
import { useStop, type StopTiming } from '@/lib/use-stop';
import type { StartOptions } from '@/backend/backend';
import { applyExperiment } from '@/lib/queries/experiment-cache';
import type { Experiment } from '@/domain/experiment';

function useStoreExperiment() {
  const queryClient = useQueryClient();
  // The stream brings the same version too; the cache takes it in once.
  return (experiment: Experiment) => applyExperiment(queryClient, experiment);
}

export function useStartExperiment(id: string) {
  const backend = useBackend();
  const store = useStoreExperiment();
  return useMutation({
    mutationFn: (options: StartOptions) => backend.experiments.startExperiment(id, options),
    onSuccess: store,
  });
}

/** Halting one experiment, as the one stop mutation: retried until the backend confirms. */
export function useHaltExperiment(id: string, timing?: StopTiming) {
  const backend = useBackend();
  const store = useStoreExperiment();
  return useStop({
    key: ['experiment', id],
    send: (_: void, timeoutMs) => backend.experiments.haltExperiment(id, { timeoutMs }),
    onConfirmed: store,
    ...(timing ? { timing } : {}),
  });
}
