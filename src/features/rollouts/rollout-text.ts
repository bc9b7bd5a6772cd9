import { formatDuration } from '@/domain/ramp';
import type { Rollout, RolloutAnalysisRecord, RolloutSpec } from '@/domain/rollouts';
import { formatDateTime } from '@/lib/format';

export const rolloutPath = (id: string) => `/rollouts/${encodeURIComponent(id)}`;
export const NEW_ROLLOUT_PATH = '/rollouts/new';

/** "Canary" / "Flag" */
export function kindLabel(spec: RolloutSpec): string {
  return spec.kind === 'canary' ? 'Canary' : 'Flag';
}

/** What the rollout delivers: "2.4.0" for a canary, "flag new-checkout" for a flag. */
export function deliveredLabel(spec: RolloutSpec): string {
  return spec.kind === 'canary' ? spec.newVersion : `flag ${spec.flagKey}`;
}

/** "step 2 of 4 · 25 %" */
export function stepLabel(rollout: Rollout): string {
  return `step ${rollout.stepIndex + 1} of ${rollout.spec.steps.length} · ${rollout.weight} %`;
}

/** How a step ends: "wait 60 s", "until 4 Dec, 10:00" (the viewer's time), "waits for a person". */
export function stepEndLabel(step: RolloutSpec['steps'][number]): string {
  if (step.waitUntil !== undefined) return `until ${formatDateTime(Date.parse(step.waitUntil))}`;
  return step.waitSeconds === null
    ? 'waits for a person'
    : `wait ${formatDuration(step.waitSeconds)}`;
}

/**
 * "step 2 may be promoted from 4 Dec, 10:00": for a rollout still at a step with a time, when its
 * analysis may first move it on; null otherwise.
 */
export function stepTimeLabel(rollout: Rollout): string | null {
  const step = rollout.spec.steps[rollout.stepIndex];
  if (!step?.waitUntil || !['progressing', 'paused', 'held'].includes(rollout.state)) return null;
  return `step ${rollout.stepIndex + 1} may be promoted from ${formatDateTime(Date.parse(step.waitUntil))}`;
}

/** The latest analysis, if the judge has looked yet. */
function latestAnalysis(rollout: Rollout): RolloutAnalysisRecord | null {
  return rollout.analyses[rollout.analyses.length - 1] ?? null;
}

// Keyed by string: an outcome this dashboard does not know yet is shown as the server names it.
const OUTCOME_WORDS: Record<string, string> = {
  pass: 'passed',
  fail: 'failed',
  'not-enough-data': 'not enough data',
  'sample-ratio-mismatch': 'held: traffic not split as set',
};

export function outcomeWords(outcome: RolloutAnalysisRecord['outcome']): string {
  return OUTCOME_WORDS[outcome] ?? outcome;
}

/** The list's verdict column: the latest analysis in a few words, or that none ran yet. */
export function verdictSummary(rollout: Rollout): string {
  const latest = latestAnalysis(rollout);
  if (!latest) return rollout.state === 'aborted' ? 'aborted without analysis' : 'not judged yet';
  return `step ${latest.stepIndex + 1} ${outcomeWords(latest.outcome)}`;
}
