import {
  blastRadiusSchema,
  resolveBlastRadius,
  type BlastRadius,
  type ExperimentSpecInput,
  type Instance,
  type ResolvedBlastRadius,
} from '@/domain';

export interface BlastRadiusPreview {
  resolved: ResolvedBlastRadius;
  /** False while the blast radius itself is invalid (a percentage of 0, no count): nothing is selected. */
  valid: boolean;
  noun: 'host' | 'container';
}

/**
 * The instances an inherited source narrows to before the selector applies: the canary's, or
 * those serving a flag's on-cohort (as the server reports them; none while unknown).
 */
function eligibleFor(
  source: BlastRadius['source'],
  cohort: ReadonlySet<string> | null,
): ((instance: Instance) => boolean) | undefined {
  if (source.kind === 'canary') return (instance) => instance.labels.version === 'canary';
  if (source.kind === 'flag') return (instance) => cohort?.has(instance.id) ?? false;
  return undefined;
}

/**
 * What the blast radius hits, computed by the same domain function the server launches with,
 * over the instances of the chosen service and environment.
 */
export function previewBlastRadius(
  radius: ExperimentSpecInput['blastRadius'],
  instances: readonly Instance[],
  /** For a flag's cohort: the ids of the instances serving it. */
  cohort: ReadonlySet<string> | null = null,
): BlastRadiusPreview {
  const noun = radius.scope === 'hosts' ? 'host' : 'container';
  const parsed = blastRadiusSchema.safeParse(radius);
  if (parsed.success) {
    return {
      resolved: resolveBlastRadius(parsed.data, instances, eligibleFor(parsed.data.source, cohort)),
      valid: true,
      noun,
    };
  }
  const source = radius.source ?? { kind: 'selector' as const };
  const matchingOnly = resolveBlastRadius(
    { scope: radius.scope, selector: radius.selector, mode: 'all', source },
    instances,
    eligibleFor(source, cohort),
  );
  return { resolved: { matching: matchingOnly.matching, selected: [] }, valid: false, noun };
}

/** "3 of 12 containers" */
export function describeCount(preview: BlastRadiusPreview): string {
  const total = preview.resolved.matching.length;
  return `${preview.resolved.selected.length} of ${total} ${total === 1 ? preview.noun : `${preview.noun}s`}`;
}
