import { z } from 'zod';
import type { AbortCondition } from './abort-conditions';
import {
  describeVerdict,
  judgeMetric,
  judgeVerdictSchema,
  type JudgeSettings,
  type MetricTicks,
} from './judge';
import type { Metric } from './metrics';
import { ROLLOUT_MIN_EFFECT, rolloutMetricSchema, type RolloutMetric } from './rollouts';

/**
 * What users feel: the metrics a chaos experiment's hypothesis is judged on, target against
 * control. CPU is left out: it is what a CPU attack raises on purpose, not a symptom.
 */
const HYPOTHESIS_METRICS = ['http_5xx_rate', 'error_rate', 'latency_p99'] as const;
type HypothesisMetric = (typeof HYPOTHESIS_METRICS)[number];

const HYPOTHESIS_SETTINGS = { minSamples: 20, confidence: 0.95, tolerance: 0.25 };

const hypothesisVerdictOutcomeSchema = z.enum(['held', 'not-held', 'not-enough-data']);

export const hypothesisJudgementSchema = z.object({
  /** held: no metric is worse on the target; not-held: one is; not-enough-data: too few samples. */
  outcome: hypothesisVerdictOutcomeSchema,
  judgements: z
    .array(z.object({ metric: rolloutMetricSchema, verdict: judgeVerdictSchema, text: z.string() }))
    .max(HYPOTHESIS_METRICS.length),
  /** The verdict in one sentence with the judge's numbers. */
  text: z.string(),
  /** The abort condition that ended the run, when one did: the hypothesis did not hold. */
  abortedOn: z.string().max(500).optional(),
});
export type HypothesisJudgement = z.infer<typeof hypothesisJudgementSchema>;

/**
 * The metrics the hypothesis is judged on: those of its abort conditions that users feel
 * (5xx rate, error rate, p99 latency), or the 5xx rate when none is.
 */
export function hypothesisMetrics(conditions: readonly Pick<AbortCondition, 'metric'>[]) {
  const named = HYPOTHESIS_METRICS.filter((m) => conditions.some((c) => c.metric === m));
  return named.length > 0 ? named : (['http_5xx_rate'] as HypothesisMetric[]);
}

function settingsFor(metric: RolloutMetric): JudgeSettings {
  return { ...HYPOTHESIS_SETTINGS, minEffect: ROLLOUT_MIN_EFFECT[metric], direction: 'increase' };
}

/**
 * A chaos experiment's verdict, target against control, with the statistical judge: the
 * hypothesis (the service holds up under the fault) did not hold when any metric is worse on
 * the target; it held when every metric was judged and none is; otherwise there is not
 * enough data to say.
 */
export function judgeHypothesis(
  samples: readonly { metric: Metric; target: MetricTicks; control: MetricTicks }[],
): HypothesisJudgement {
  const labels = { target: 'target', control: 'control' };
  const judgements = samples.flatMap(({ metric, target, control }) => {
    const parsed = rolloutMetricSchema.safeParse(metric);
    if (!parsed.success) return [];
    const verdict = judgeMetric(parsed.data, target, control, settingsFor(parsed.data));
    return [
      { metric: parsed.data, verdict, text: describeVerdict(verdict, { ...labels, metric }) },
    ];
  });
  const worse = judgements.filter((j) => j.verdict.regression);
  const short = judgements.filter((j) => j.verdict.outcome === 'not-enough-data');
  if (worse.length > 0) {
    return {
      outcome: 'not-held',
      judgements,
      text: `The hypothesis did not hold: ${worse.map((j) => j.text).join('; ')}`,
    };
  }
  if (judgements.length === 0 || short.length > 0) {
    const which = short.length > 0 ? `: ${short.map((j) => j.text).join('; ')}` : '';
    return {
      outcome: 'not-enough-data',
      judgements,
      text: `Not enough data to judge the hypothesis${which}`,
    };
  }
  return {
    outcome: 'held',
    judgements,
    text: `The hypothesis held: ${judgements.map((j) => j.text).join('; ')}`,
  };
}

/**
 * A run an abort condition stopped did not keep its steady state, whatever the judge makes of
 * the whole run (a short breach at the end barely moves its medians): the verdict says so,
 * names the condition, and keeps the judge's numbers as what they are.
 */
export function withAbort(
  verdict: HypothesisJudgement,
  /** The run's abort outcome (its `description`, and `noMetrics` when metrics were missing). */
  abort: { description: string; noMetrics?: unknown },
): HypothesisJudgement {
  if (abort.noMetrics || verdict.outcome === 'not-held') return verdict;
  const numbers = verdict.judgements.map((j) => j.text).join('; ');
  return {
    ...verdict,
    outcome: 'not-held',
    abortedOn: abort.description,
    text:
      `The hypothesis did not hold: the run aborted on "${abort.description}"` +
      (numbers ? `. Over the whole run, ${numbers}` : ''),
  };
}
