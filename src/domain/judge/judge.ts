import { z } from 'zod';
import { METRIC_INFO, type Metric } from '../metrics';
import { mannWhitney } from './mann-whitney';
import { twoProportions } from './proportions';

/** How the judge decides; every field is set by its caller (the rollout's analysis, the hypothesis). */
export interface JudgeSettings {
  /** Fewer samples than this on either side: "not enough data", never a verdict. */
  minSamples: number;
  /** Level of the shift's confidence interval. */
  confidence: number;
  /**
   * Kayenta's tolerance: the interval must clear this fraction of the estimated shift
   * (its own size) before the samples count as different.
   */
  tolerance: number;
  /** Shifts smaller than this, in the metric's unit, never count as different. */
  minEffect: number;
  /** Which way of moving counts as a regression: up (5xx, latency, CPU), down, or either. */
  direction: 'increase' | 'decrease' | 'either';
}

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

/**
 * How the samples were compared: Mann-Whitney on the values of each tick, or (for a share of
 * requests, such as the 5xx rate) two proportions from the requests pooled over the ticks.
 */
const judgeMethodSchema = z.enum(['mann-whitney', 'two-proportions']);

/** The judge's answer with its numbers; kept in the audit and shown where the decision is. */
export const judgeVerdictSchema = z.object({
  // Verdicts kept before rates were pooled have no method: they were all Mann-Whitney.
  method: judgeMethodSchema.default('mann-whitney'),
  outcome: judgeOutcomeSchema,
  /** The samples differ in the direction that counts as a regression. */
  regression: z.boolean(),
  /** Samples (ticks) on each side. */
  targetCount: z.number().int(),
  controlCount: z.number().int(),
  /** Two proportions only: the requests pooled on each side. */
  targetRequests: z.number().optional(),
  controlRequests: z.number().optional(),
  /** Each side's mean; for two proportions, its pooled share of requests. */
  targetMean: z.number().nullable(),
  controlMean: z.number().nullable(),
  /**
   * Target − control in the metric's unit: the Hodges-Lehmann estimate, or the difference of
   * the two pooled proportions in points.
   */
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
 * Kayenta's rule: the samples differ only when the shift's whole interval clears the larger of
 * the tolerance (a fraction of the shift) and the smallest shift that matters.
 */
function decide(
  shift: number,
  [lower, upper]: [number, number],
  settings: JudgeSettings,
): { outcome: JudgeOutcome; regression: boolean } {
  const bound = Math.max(settings.tolerance * Math.abs(shift), settings.minEffect);
  const higher = lower > bound && lower > 0;
  const lowerSide = upper < -bound && upper < 0;
  const outcome: JudgeOutcome = higher ? 'higher' : lowerSide ? 'lower' : 'no-difference';
  const regression =
    (outcome === 'higher' && settings.direction !== 'decrease') ||
    (outcome === 'lower' && settings.direction !== 'increase');
  return { outcome, regression };
}

const UNJUDGED = {
  outcome: 'not-enough-data',
  regression: false,
  shift: null,
  interval: null,
  pValue: null,
  u: null,
} as const;

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
    method: 'mann-whitney' as const,
    targetCount: x.length,
    controlCount: y.length,
    confidence: settings.confidence,
    minSamples: settings.minSamples,
  };
  if (x.length < settings.minSamples || y.length < settings.minSamples) {
    return {
      ...base,
      ...UNJUDGED,
      targetMean: x.length > 0 ? mean(x) : null,
      controlMean: y.length > 0 ? mean(y) : null,
    };
  }
  const result = mannWhitney(x, y, settings.confidence);
  const common = {
    ...base,
    targetMean: mean(x),
    controlMean: mean(y),
    shift: result.shift,
    interval: result.interval,
    pValue: result.pValue,
    u: result.u,
  };
  if (sameValues(x, y)) return { ...common, outcome: 'no-difference', regression: false };
  return { ...common, ...decide(result.shift, result.interval, settings) };
}

/** A metric's values, one per tick, with the requests each tick's value was taken over. */
export interface MetricTicks {
  values: readonly number[];
  requests: readonly number[];
}

/** The sum of values, taken in sorted order so it does not depend on the order they came in. */
function orderedSum(values: Float64Array): number {
  let sum = 0;
  for (const v of values.sort()) sum += v;
  return sum;
}

/** A side's ticks pooled: how many, the requests, and the events (share × requests). */
function pool({ values, requests }: MetricTicks) {
  const counted = new Float64Array(values.length);
  const events = new Float64Array(values.length);
  let ticks = 0;
  values.forEach((rate, i) => {
    const n = requests[i] ?? 0;
    // A tick without requests is no evidence, and a rate that is not a share is no reading.
    if (!(n > 0) || !Number.isFinite(n) || !(rate >= 0 && rate <= 100)) return;
    counted[ticks] = n;
    events[ticks] = (rate / 100) * n;
    ticks++;
  });
  return {
    ticks,
    requests: orderedSum(counted.subarray(0, ticks)),
    events: orderedSum(events.subarray(0, ticks)),
  };
}

/**
 * The judge for a share of requests (5xx rate, error rate): the requests of every tick are
 * pooled on each side and the two proportions compared (Newcombe's interval for the difference,
 * the pooled z-test), then decided by the same rule as `judge`. Comparing per-tick rates would
 * misread a side with few requests per tick, whose ticks are mostly 0 % with the odd 100 %.
 * Enough data is `minSamples` ticks and `minSamples` requests on each side.
 */
export function judgeRates(
  target: MetricTicks,
  control: MetricTicks,
  settings: JudgeSettings = DEFAULT_JUDGE_SETTINGS,
): JudgeVerdict {
  const t = pool(target);
  const c = pool(control);
  const share = (side: { events: number; requests: number }) =>
    side.requests > 0 ? (100 * side.events) / side.requests : null;
  const base = {
    method: 'two-proportions' as const,
    targetCount: t.ticks,
    controlCount: c.ticks,
    targetRequests: t.requests,
    controlRequests: c.requests,
    targetMean: share(t),
    controlMean: share(c),
    confidence: settings.confidence,
    minSamples: settings.minSamples,
  };
  const enough = (side: { ticks: number; requests: number }) =>
    side.ticks >= settings.minSamples && side.requests >= settings.minSamples;
  if (!enough(t) || !enough(c)) return { ...base, ...UNJUDGED };
  const result = twoProportions(
    { events: t.events, trials: t.requests },
    { events: c.events, trials: c.requests },
    settings.confidence,
  );
  const shift = 100 * result.difference;
  const interval: [number, number] = [100 * result.interval[0], 100 * result.interval[1]];
  return {
    ...base,
    shift,
    interval,
    pValue: result.pValue,
    u: null,
    ...decide(shift, interval, settings),
  };
}

/** Metrics that are a share of requests, judged on pooled requests rather than per tick. */
const SHARES_OF_REQUESTS: ReadonlySet<Metric> = new Set<Metric>([
  'http_5xx_rate',
  'http_4xx_rate',
  'error_rate',
]);

/**
 * Judges one metric, choosing the method for it: pooled requests (`judgeRates`) for a share
 * of requests, Mann-Whitney on the ticks' values (`judge`) for the rest (latency, CPU).
 */
export function judgeMetric(
  metric: Metric,
  target: MetricTicks,
  control: MetricTicks,
  settings: JudgeSettings = DEFAULT_JUDGE_SETTINGS,
): JudgeVerdict {
  return SHARES_OF_REQUESTS.has(metric)
    ? judgeRates(target, control, settings)
    : judge(target.values, control.values, settings);
}

function formatValue(value: number, metric: Metric): string {
  const unit = METRIC_INFO[metric].unit;
  // Two decimals only where one would round a non-zero value to 0.0.
  const text =
    unit === 'ms'
      ? String(Math.round(value))
      : value !== 0 && Math.abs(value) < 0.05
        ? value.toFixed(2)
        : value.toFixed(1);
  // What rounds to nothing has no sign: "0.00", never "-0.00".
  return Number(text) === 0 ? text.replace('-', '') : text;
}

function withUnit(text: string, metric: Metric): string {
  const unit = METRIC_INFO[metric].unit;
  return unit === '%' ? `${text} %` : `${text} ${unit}`;
}

/** Pooled requests are rates × seconds: whole requests, grouped by thousands ("24,000"). */
function requestCount(requests: number | undefined): string {
  return Math.round(requests ?? 0).toLocaleString('en-US');
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
 * p < 0.001, 240 samples each"; for a pooled share of requests the counts read "1,200 vs
 * 22,800 requests, 240 samples each".
 */
export function describeVerdict(verdict: JudgeVerdict, labels: VerdictLabels): string {
  const { metric } = labels;
  const noun = METRIC_INFO[metric].noun;
  const samples =
    verdict.targetCount === verdict.controlCount
      ? `${verdict.targetCount} samples each`
      : `${verdict.targetCount} vs ${verdict.controlCount} samples`;
  const pooled = verdict.method === 'two-proportions';
  const counts = pooled
    ? `${requestCount(verdict.targetRequests)} vs ${requestCount(verdict.controlRequests)} requests, ${samples}`
    : samples;
  if (verdict.outcome === 'not-enough-data') {
    const needs = pooled
      ? `needs ${verdict.minSamples} samples and ${verdict.minSamples} requests each`
      : `needs ${verdict.minSamples} each`;
    return `${labels.target} ${noun}: not enough data yet (${counts}, ${needs})`;
  }
  const t = withUnit(formatValue(verdict.targetMean ?? 0, metric), metric);
  const c = withUnit(formatValue(verdict.controlMean ?? 0, metric), metric);
  const shift = verdict.shift ?? 0;
  const [lo, hi] = verdict.interval ?? [0, 0];
  const shiftUnit = METRIC_INFO[metric].unit === '%' ? 'points' : METRIC_INFO[metric].unit;
  const size = formatValue(Math.abs(shift), metric);
  const sign = Number(size) === 0 ? '±' : shift > 0 ? '+' : '-';
  const effect = `${sign}${size} ${shiftUnit} [${formatValue(lo, metric)}, ${formatValue(hi, metric)}]`;
  return `${labels.target} ${noun} ${t} vs ${labels.control} ${c}, ${effect}, ${formatP(verdict.pValue ?? 1)}, ${counts}`;
}
