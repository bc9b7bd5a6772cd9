import { z } from 'zod';
import { METRIC_INFO, metricSchema } from './metrics';

export const COMPARATORS = ['>', '>=', '<', '<='] as const;
export const comparatorSchema = z.enum(COMPARATORS);
export type Comparator = z.infer<typeof comparatorSchema>;

/** Longest window, in seconds (1 h). */
const MAX_WINDOW_SECONDS = 3_600;

/** target: the experiment's blast radius; service: every instance of the service in its environment. */
const conditionScopeSchema = z.enum(['target', 'service']);

const windowSeconds = z
  .number({ error: 'window must be a number of seconds' })
  .int('window must be whole seconds')
  .min(0, 'window cannot be negative')
  .max(MAX_WINDOW_SECONDS, `window is at most ${MAX_WINDOW_SECONDS} s`);

const finite = (what: string) =>
  z.number({ error: `${what} must be a number` }).finite(`${what} must be a number`);

/** "5xx rate > 1 % for 10 s": the comparison must hold on every sample for the whole window. */
const thresholdConditionSchema = z.object({
  kind: z.literal('threshold'),
  metric: metricSchema,
  comparator: comparatorSchema,
  threshold: finite('threshold'),
  windowSeconds,
  scope: conditionScopeSchema.default('target'),
});

/** "error rate rising": the metric climbs by more than `delta` over the window. */
const risingConditionSchema = z.object({
  kind: z.literal('rising'),
  metric: metricSchema,
  delta: finite('rise').positive('rise must be above 0'),
  windowSeconds: windowSeconds.min(1, 'a rising condition needs a window of at least 1 s'),
  scope: conditionScopeSchema.default('target'),
});

export const abortConditionSchema = z.discriminatedUnion('kind', [
  thresholdConditionSchema,
  risingConditionSchema,
]);
export type AbortCondition = z.infer<typeof abortConditionSchema>;

function compare(value: number, comparator: Comparator, threshold: number): boolean {
  switch (comparator) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
  }
}

/**
 * The unit of a rise: a rate in % rises in percentage points (1 % → 3 % is 2 points), never
 * relative to where it started.
 */
export function riseUnit(condition: Pick<AbortCondition, 'metric'>): string {
  const unit = METRIC_INFO[condition.metric].unit;
  return unit === '%' ? 'percentage points' : unit;
}

/** A value the condition judges, with its unit: "0.08 %", "rose 2.5 percentage points". */
export function formatConditionValue(condition: AbortCondition, value: number): string {
  const rounded = Math.round(value * 100) / 100;
  if (condition.kind === 'rising') return `rose ${rounded} ${riseUnit(condition)}`;
  return `now ${rounded} ${METRIC_INFO[condition.metric].unit}`;
}

/** "5xx rate > 1 % for 10 s", "error rate rises by more than 0.5 percentage points within 30 s". */
export function describeCondition(condition: AbortCondition): string {
  const info = METRIC_INFO[condition.metric];
  const unit = info.unit === '%' ? ' %' : ` ${info.unit}`;
  const scope = condition.scope === 'service' ? ' (whole service)' : '';
  const name = info.noun;
  if (condition.kind === 'rising') {
    return `${name}${scope} rises by more than ${condition.delta} ${riseUnit(condition)} within ${condition.windowSeconds} s`;
  }
  const window = condition.windowSeconds > 0 ? ` for ${condition.windowSeconds} s` : '';
  return `${name}${scope} ${condition.comparator} ${condition.threshold}${unit}${window}`;
}

export interface TimedValue {
  /** epoch ms */
  t: number;
  value: number;
}

/**
 * What an evaluator remembers between samples. Bounded: a threshold keeps one timestamp,
 * a rising condition keeps only the samples inside its window (plus the one before it).
 */
export type ConditionState =
  { kind: 'threshold'; breachSince: number | null } | { kind: 'rising'; recent: TimedValue[] };

export interface ConditionVerdict {
  holds: boolean;
  /** The value that was judged: the latest sample, or the rise over the window. */
  value: number;
  /** The sample's own value (differs from `value` for a rising condition). */
  latest: number;
}

export function initialConditionState(condition: AbortCondition): ConditionState {
  return condition.kind === 'threshold'
    ? { kind: 'threshold', breachSince: null }
    : { kind: 'rising', recent: [] };
}

/**
 * Folds one sample into a condition's state. Pure and shared: the server decides with it on
 * every tick, the browser previews with it. Samples must arrive in time order.
 *
 * threshold: holds once every sample since `breachSince` has breached and
 *   `now - breachSince >= window` (window 0: the first breaching sample).
 * rising: holds when the newest sample exceeds the sample at the start of the window
 *   (the newest one at or before `now - window`) by more than `delta`.
 */
export function stepCondition(
  condition: AbortCondition,
  state: ConditionState,
  sample: TimedValue,
): { state: ConditionState; verdict: ConditionVerdict } {
  if (condition.kind === 'threshold') {
    const breaching = compare(sample.value, condition.comparator, condition.threshold);
    const previous = state.kind === 'threshold' ? state.breachSince : null;
    const breachSince = breaching ? (previous ?? sample.t) : null;
    const holds = breachSince !== null && sample.t - breachSince >= condition.windowSeconds * 1000;
    return {
      state: { kind: 'threshold', breachSince },
      verdict: { holds, value: sample.value, latest: sample.value },
    };
  }
  const windowStart = sample.t - condition.windowSeconds * 1000;
  const kept = (state.kind === 'rising' ? state.recent : []).concat(sample);
  // Keep the newest sample at or before the window's start as the anchor, drop older ones.
  let anchorIndex = -1;
  for (let i = 0; i < kept.length; i++) {
    const entry = kept[i];
    if (entry && entry.t <= windowStart) anchorIndex = i;
  }
  const recent = anchorIndex > 0 ? kept.slice(anchorIndex) : kept;
  const anchor = anchorIndex >= 0 ? recent[0] : undefined;
  const rise = anchor ? sample.value - anchor.value : 0;
  return {
    state: { kind: 'rising', recent },
    verdict: {
      holds: anchor !== undefined && rise > condition.delta,
      value: rise,
      latest: sample.value,
    },
  };
}

/** Runs a condition over a whole series (oldest first): the verdict after the last sample. */
export function evaluateSeries(
  condition: AbortCondition,
  series: readonly TimedValue[],
): ConditionVerdict | null {
  let state = initialConditionState(condition);
  let verdict: ConditionVerdict | null = null;
  for (const sample of series) {
    ({ state, verdict } = stepCondition(condition, state, sample));
  }
  return verdict;
}
