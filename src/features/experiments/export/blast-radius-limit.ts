import type { ExperimentSpec } from '@/domain';

export interface ChaosMeshOptions {
  /**
   * The instances the experiment hit (its run's targets): container ids are pod names, host
   * ids node names. Known once it ran; they let the export hit exactly those and no others.
   */
  targets?: readonly string[];
  /**
   * Where the cluster can ask Faultline whether the experiment's abort conditions hold: with it,
   * the export runs a StatusCheck beside the chaos that aborts the Workflow when one does.
   */
  abortCheck?: { faultlineUrl: string; experimentId: string };
}

const EXPORT_FROM_RUN = 'Export it from the experiment once it has run to list the pods it hit.';

/**
 * Why the export cannot hit what the experiment hit, for the UI to say next to the download
 * button; null when it can. Chaos Mesh selects by labels, names or counts: it knows no flag
 * cohort, and takes whole percentages only.
 */
export function blastRadiusLimit(
  spec: ExperimentSpec,
  options: ChaosMeshOptions = {},
): string | null {
  if (options.targets?.length) return null;
  const radius = spec.blastRadius;
  if (radius.source.kind === 'flag')
    return (
      `Chaos Mesh cannot select the cohort of flag "${radius.source.flagKey}": ` +
      `this file hits one pod of ${spec.service}. ${EXPORT_FROM_RUN}`
    );
  if (radius.mode === 'percent' && (radius.value ?? 100) < 1)
    return `Chaos Mesh takes whole percentages: ${radius.value} % is exported as one pod. ${EXPORT_FROM_RUN}`;
  return null;
}
