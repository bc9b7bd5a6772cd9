import {
  abortConditionSchema,
  evaluateSeries,
  METRIC_INFO,
  type Environment,
  type ExperimentSpecInput,
} from '@/domain';
import { Sparkline } from './sparkline';
import { useRecentValues } from './use-recent-values';

type ConditionInput = ExperimentSpecInput['abortConditions'][number];

const format = (value: number, unit: string) => `${Math.round(value * 100) / 100} ${unit}`;

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

  let note: string;
  if (!service) note = 'Choose a service to see its recent values.';
  else if (loading) note = 'Loading recent values…';
  else if (values.length === 0)
    note = `No recent ${info.noun} samples for ${service} in ${environment}.`;
  else if (verdict?.holds)
    note = `Already holds on recent values: the server will refuse to start until it clears.`;
  else
    note = `Does not hold now${latest === undefined ? '' : ` (latest ${format(latest, info.unit)})`}.`;

  const label = `Recent ${info.noun} of ${service || 'the service'} in ${environment}${threshold === undefined || !Number.isFinite(threshold) ? '' : `, threshold ${format(threshold, info.unit)}`}`;
  return (
    <div className="flex flex-wrap items-center gap-2">
      <Sparkline
        values={values}
        threshold={threshold}
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
