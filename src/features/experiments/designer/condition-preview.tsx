import {
  abortConditionSchema,
  COMPARATOR_WORDS,
  evaluateSeries,
  METRIC_INFO,
  riseUnit,
  type AbortCondition,
  type ConditionVerdict,
  type Environment,
  type ExperimentSpecInput,
  type TimedValue,
} from '@/domain';
import { Sparkline } from './sparkline';
import { useRecentValues } from './use-recent-values';

type ConditionInput = ExperimentSpecInput['abortConditions'][number];

const format = (value: number, unit: string) => `${Math.round(value * 100) / 100} ${unit}`;

/** "CPU is now 37.5 %, above 1 %", "error rate rose 2.5 percentage points within 30 s, more than 2". */
function whatHolds(condition: AbortCondition, verdict: ConditionVerdict): string {
  const info = METRIC_INFO[condition.metric];
  if (condition.kind === 'rising') {
    const unit = riseUnit(condition);
    return (
      `${info.noun} rose ${format(verdict.value, unit)} within ${condition.windowSeconds} s, ` +
      `more than ${format(condition.delta, unit)}`
    );
  }
  const window = condition.windowSeconds > 0 ? ` for ${condition.windowSeconds} s` : '';
  return (
    `${info.noun} is now ${format(verdict.latest, info.unit)}, ` +
    `${COMPARATOR_WORDS[condition.comparator]} ${format(condition.threshold, info.unit)}${window}`
  );
}

/**
 * Where a "keeps rising" condition would trip now: from the value at the window's start (the
 * newest sample at or before it, else the oldest there is) to that value plus the rise.
 */
function risingSlope(
  condition: AbortCondition | undefined,
  values: readonly TimedValue[],
): { from: TimedValue; to: TimedValue } | undefined {
  const latest = values[values.length - 1];
  if (condition?.kind !== 'rising' || !latest) return undefined;
  const { delta, windowSeconds } = condition;
  const since = latest.t - windowSeconds * 1000;
  const anchor = values.findLast((v) => v.t <= since) ?? values[0] ?? latest;
  return {
    from: { t: since, value: anchor.value },
    to: { t: latest.t, value: anchor.value + delta },
  };
}

/**
 * The metric's recent values for the service with the threshold drawn, and whether the
 * condition would already hold: the steady-state check the server makes before any harm.
 */
export function ConditionPreview({
  condition,
  service,
  environment,
}: {
  condition: ConditionInput;
  service: string;
  environment: Environment;
}) {
  const { values, loading } = useRecentValues(service, environment, condition.metric);
  const info = METRIC_INFO[condition.metric];
  const parsed = abortConditionSchema.safeParse(condition);
  const verdict = parsed.success ? evaluateSeries(parsed.data, values) : null;
  const latest = values[values.length - 1]?.value;
  const threshold = condition.kind === 'threshold' ? condition.threshold : undefined;
  const slope = risingSlope(parsed.data, values);

  let note: string;
  if (!service) note = 'Choose a service to see its recent values.';
  else if (loading) note = 'Loading recent values…';
  else if (values.length === 0)
    note = `No recent ${info.noun} samples for ${service} in ${environment}.`;
  else if (verdict?.holds && parsed.success)
    note = `Already holds: ${whatHolds(parsed.data, verdict)}. The server will refuse to start until it clears.`;
  else
    note = `Does not hold now${latest === undefined ? '' : ` (latest ${format(latest, info.unit)})`}.`;

  const guide =
    threshold !== undefined && Number.isFinite(threshold)
      ? `, threshold ${format(threshold, info.unit)}`
      : slope && condition.kind === 'rising'
        ? `, trips above a slope from ${format(slope.from.value, info.unit)} ` +
          `to ${format(slope.to.value, info.unit)} over ${condition.windowSeconds} s`
        : '';
  const label = `Recent ${info.noun} of ${service || 'the service'} in ${environment}${guide}`;
  return (
    <div className="flex flex-wrap items-center gap-2">
      <Sparkline
        values={values}
        threshold={threshold}
        slope={slope}
        label={label}
        tone={verdict?.holds ? 'danger' : 'ok'}
      />
      <p
        className={`max-w-xs text-xs ${verdict?.holds ? 'font-semibold text-danger' : 'text-muted'}`}
        role={verdict?.holds ? 'alert' : undefined}
      >
        {note}
      </p>
    </div>
  );
}
