import {
  attackRefusal,
  describeCondition,
  formatConditionValue,
  evaluateSeries,
  resolveBlastRadius,
  type Experiment,
  type Instance,
  type MetricSample,
  type ResolvedBlastRadius,
} from '../../src/domain';
import type { Extensions } from '../context';

export const FLAG_SOURCE_UNAVAILABLE = 'flag-inherited blast radius is not available';

/** The blast radius as explicit instances, or the reason it cannot be resolved. */
export function resolveTargets(
  experiment: Experiment,
  serviceInstances: readonly Instance[],
  extensions: Extensions,
  isCanary: (instance: Instance) => boolean,
): ResolvedBlastRadius | { refused: string } {
  const source = experiment.blastRadius.source;
  let eligible: ((instance: Instance) => boolean) | undefined;
  if (source.kind === 'canary') {
    eligible = isCanary;
  } else if (source.kind === 'flag') {
    const resolver = extensions.blastRadiusSources.get('flag');
    if (!resolver) return { refused: FLAG_SOURCE_UNAVAILABLE };
    const answer = resolver({
      source,
      service: experiment.service,
      environment: experiment.environment,
    });
    if ('refused' in answer) return answer;
    eligible = answer.eligible;
  }
  const resolved = resolveBlastRadius(experiment.blastRadius, serviceInstances, eligible);
  if (resolved.selected.length === 0) {
    const from =
      source.kind === 'canary'
        ? ' (canary instances)'
        : source.kind === 'flag'
          ? ` (cohort of flag ${source.flagKey})`
          : '';
    return {
      refused:
        `the blast radius matches no ${experiment.blastRadius.scope === 'hosts' ? 'host' : 'container'} ` +
        `of ${experiment.service} in ${experiment.environment}${from}`,
    };
  }
  return resolved;
}

/**
 * Why the experiment's attack cannot run on the instances it would strike (packet loss on an
 * agent target, CPU pressure on the flag service), or null. Checked before any harm.
 */
export function attackRefusalFor(
  experiment: Experiment,
  selected: readonly Instance[],
): string | null {
  return attackRefusal(experiment.attack.type, selected);
}

/**
 * The steady-state check: before any harm, no abort condition may already hold on the service's
 * recent samples (oldest first). Returns the reason to refuse, or null.
 */
export function steadyStateViolation(
  experiment: Experiment,
  recent: readonly MetricSample[],
): { reason: string; conditionIndex: number; value: number } | null {
  for (const [index, condition] of experiment.abortConditions.entries()) {
    const verdict = evaluateSeries(
      condition,
      recent.map((s) => ({ t: s.t, value: s.values[condition.metric] })),
    );
    if (verdict?.holds) {
      return {
        reason:
          `steady-state check failed: "${describeCondition(condition)}" already holds ` +
          `before any harm (${formatConditionValue(condition, verdict.value)})`,
        conditionIndex: index,
        value: verdict.value,
      };
    }
  }
  return null;
}
