import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useBackend } from '@/lib/backend-context';
import { applyExperiment } from '@/lib/queries/experiment-cache';
import type { Environment, Experiment, ExperimentSpec } from '@/domain';
import { hasUnsavedChanges, useDrafts } from './draft-store';

/**
 * Save and start from the designer. Only a parsed (valid) spec is ever passed in: nothing is
 * sent while the form is invalid. The draft remembers the server's id and version, so a retry
 * after a refused start does not create the experiment twice.
 */
export function useDesignerActions(draftKey: string) {
  const backend = useBackend();
  const queryClient = useQueryClient();
  const markSaved = useDrafts((s) => s.markSaved);

  function remember(experiment: Experiment) {
    applyExperiment(queryClient, experiment);
  }

  async function saveNow(spec: ExperimentSpec): Promise<Experiment> {
    const draft = useDrafts.getState().drafts[draftKey];
    // The next stage of an experiment continues its lineage, so results line up per environment.
    const lineageId =
      draft?.origin.kind === 'next-environment' ? draft.origin.lineageId : undefined;
    const saved =
      draft?.experimentId && draft.version !== null
        ? await backend.experiments.updateExperiment(draft.experimentId, draft.version, spec)
        : await backend.experiments.createExperiment(lineageId ? { ...spec, lineageId } : spec);
    markSaved(draftKey, { experimentId: saved.id, version: saved.version, spec });
    remember(saved);
    return saved;
  }

  const save = useMutation({ mutationFn: saveNow });

  const start = useMutation({
    mutationFn: async ({
      spec,
      confirmEnvironment,
    }: {
      spec: ExperimentSpec;
      confirmEnvironment?: Environment;
    }) => {
      const draft = useDrafts.getState().drafts[draftKey];
      const upToDate = draft?.experimentId && draft.version !== null && !hasUnsavedChanges(draft);
      const saved =
        upToDate && draft.experimentId && draft.version !== null
          ? { id: draft.experimentId, version: draft.version }
          : await saveNow(spec);
      const started = await backend.experiments.startExperiment(saved.id, {
        version: saved.version,
        ...(confirmEnvironment ? { confirmEnvironment } : {}),
      });
      remember(started);
      return started;
    },
  });

  return { save, start };
}
