import { z } from 'zod';
import { METRIC_INFO, type Metric } from '../metrics';
import { mannWhitney } from './mann-whitney';

/** Which way of moving counts as a regression: up (5xx, latency, CPU), down, or either. */
const judgeDirectionSchema = z.enum(['increase', 'decrease', 'either']);

export const judgeSettingsSchema = z.object({
  /** Fewer samples than this on either side: "not enough data", never a verdict. */
  minSamples: z.number().int().min(3).max(100_000),
  /** Level of the shift's confidence interval. */
  confidence: z.number().min(0.5).max(0.999),
  /**
   * Kayenta's tolerance: the interval must clear this fraction of the estimated shift
   * (its own size) before the samples count as different.
   */
  tolerance: z.number().min(0).max(1),
  /** Shifts smaller than this, in the metric's unit, never count as different. */
  minEffect: z.number().min(0).max(1_000_000),
  direction: judgeDirectionSchema,
});
export type JudgeSettings = z.infer<typeof judgeSettingsSchema>;

export const DEFAULT_JUDGE_SETTINGS: JudgeSettings = {
  minSamples: 20,
  confidence: 0.95,
  tolerance: 0.25,
  minEffect: 0,
  direction: 'increase',
};

const JUDGE_OUTCOMES = ['not-enough-data', 'no-difference', 'higher', 'lower'] as const;
const judgeOutcomeSchema = z.enum(JUDGE_OUTCOMES);
type JudgeOutcome = z.infer<typeof judgeOutcomeSchema>;

/** The judge's answer with its numbers; kept in the audit and shown where the decision is. */
export const judgeVerdictSchema = z.object({
  outcome: judgeOutcomeSchema,
  /** The samples differ in the direction that counts as a regression. */
  regression: z.boolean(),
  targetCount: z.number().int(),
  controlCount: z.number().int(),
  targetMean: z.number().nullable(),
  controlMean: z.number().nullable(),
  /** Hodges-Lehmann estimate of target − control, in the metric's unit. */
  shift: z.number().nullable(),
  interval: z.tuple([z.number(), z.number()]).nullable(),
  pValue: z.number().nullable(),
  u: z.number().nullable(),
  confidence: z.number(),
  minSamples: z.number().int(),
});
type JudgeVerdict = z.infer<typeof judgeVerdictSchema>;

function mean(sorted: Float64Array): number {
  // Summed in sorted order, so the mean does not depend on the order samples came in.
  let sum = 0;
  for (const v of sorted) sum += v;
  return sum / sorted.length;
}

function sameValues(a: Float64Array, b: Float64Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function sortedFinite(values: readonly number[]): Float64Array {
  return Float64Array.from(values.filter(Number.isFinite)).sort();
}

/**
 * Says whether the target sample (canary, flag-on cohort, experiment target) differs from the
 * control sample, by how much and how sure: Mann-Whitney U with the Hodges-Lehmann shift, and
 * Kayenta's rule that the shift's interval must clear a tolerance (docs/judge.md).
 */
export function judge(
  target: readonly number[],
  control: readonly number[],
  settings: JudgeSettings = DEFAULT_JUDGE_SETTINGS,
): JudgeVerdict {
  const x = sortedFinite(target);
  const y = sortedFinite(control);
  const base = {
    targetCount: x.length,
    controlCount: y.length,
    confidence: settings.confidence,
    minSamples: settings.minSamples,
  };
  if (x.length < settings.minSamples || y.length < settings.minSamples) {
    return {
      ...base,
      outcome: 'not-enough-data',
      regression: false,
      targetMean: x.length > 0 ? mean(x) : null,
      controlMean: y.length > 0 ? mean(y) : null,
      shift: null,
      interval: null,
      pValue: null,
      u: null,
    };
  }
  const targetMean = mean(x);
  const controlMean = mean(y);
  const result = mannWhitney(x, y, settings.confidence);
  const common = {
    ...base,
    targetMean,
    controlMean,
    shift: result.shift,
    interval: result.interval,
    pValue: result.pValue,
    u: result.u,
  };
  if (sameValues(x, y)) return { ...common, outcome: 'no-difference', regression: false };
  const bound = Math.max(settings.tolerance * Math.abs(result.shift), settings.minEffect);
  const [lower, upper] = result.interval;
  const higher = lower > bound && lower > 0;
  const lowerSide = upper < -bound && upper < 0;
  const outcome: JudgeOutcome = higher ? 'higher' : lowerSide ? 'lower' : 'no-difference';
  const regression =
    (outcome === 'higher' && settings.direction !== 'decrease') ||
    (outcome === 'lower' && settings.direction !== 'increase');
  return { ...common, outcome, regression };
}

function formatValue(value: number, metric: Metric): string {
  const unit = METRIC_INFO[metric].unit;
  if (unit === 'ms') return String(Math.round(value));
  // Two decimals only where one would round a non-zero value to 0.0.
  return value !== 0 && Math.abs(value) < 0.05 ? value.toFixed(2) : value.toFixed(1);
}

function withUnit(text: string, metric: Metric): string {
  const unit = METRIC_INFO[metric].unit;
  return unit === '%' ? `${text} %` : `${text} ${unit}`;
}

function formatP(p: number): string {
  if (p < 0.001) return 'p < 0.001';
  return `p = ${p < 0.1 ? p.toFixed(3) : p.toFixed(2)}`;
}

interface VerdictLabels {
  /** "canary", "flag on", "target" */
  target: string;
  /** "stable", "flag off", "control" */
  control: string;
  metric: Metric;
}

/**
 * One line for people: "canary 5xx rate 2.1 % vs stable 0.1 %, +2.0 points [1.6, 2.4],
 * p < 0.001, 240 samples each".
 */
export function describeVerdict(verdict: JudgeVerdict, labels: VerdictLabels): string {
  const { metric } = labels;
  const noun = METRIC_INFO[metric].noun;
  const counts =
    verdict.targetCount === verdict.controlCount
      ? `${verdict.targetCount} samples each`
      : `${verdict.targetCount} vs ${verdict.controlCount} samples`;
  if (verdict.outcome === 'not-enough-data') {
    return `${labels.target} ${noun}: not enough data yet (${counts}, needs ${verdict.minSamples} each)`;
  }
  const t = withUnit(formatValue(verdict.targetMean ?? 0, metric), metric);
  const c = withUnit(formatValue(verdict.controlMean ?? 0, metric), metric);
  const shift = verdict.shift ?? 0;
  const [lo, hi] = verdict.interval ?? [0, 0];
  const shiftUnit = METRIC_INFO[metric].unit === '%' ? 'points' : METRIC_INFO[metric].unit;
  const sign = shift > 0 ? '+' : shift < 0 ? '-' : '±';
  const effect = `${sign}${formatValue(Math.abs(shift), metric)} ${shiftUnit} [${formatValue(lo, metric)}, ${formatValue(hi, metric)}]`;
  return `${labels.target} ${noun} ${t} vs ${labels.control} ${c}, ${effect}, ${formatP(verdict.pValue ?? 1)}, ${counts}`;
}
