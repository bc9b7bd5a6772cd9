import {
  COMPARATORS,
  COMPARATOR_WORDS,
  METRIC_INFO,
  METRICS,
  metricSchema,
  comparatorSchema,
  type Environment,
  type ExperimentSpecInput,
  type Metric,
  riseUnit,
} from '@/domain';
import { ConditionPreview } from './condition-preview';
import { Field, inputClass } from '@/components/field';
import { NumberInput } from './number-input';

type ConditionInput = ExperimentSpecInput['abortConditions'][number];

/** A threshold that makes sense for a metric's unit, when the metric or the form changes. */
export function defaultThreshold(metric: Metric): number {
  const unit = METRIC_INFO[metric].unit;
  return unit === 'ms' ? 1000 : 1;
}

function switchKind(condition: ConditionInput, kind: ConditionInput['kind']): ConditionInput {
  const { metric, scope } = condition;
  const window = Number.isFinite(condition.windowSeconds) ? condition.windowSeconds : 30;
  if (kind === 'rising')
    return {
      kind,
      metric,
      scope,
      delta: defaultThreshold(metric),
      windowSeconds: Math.max(1, window),
    };
  return {
    kind,
    metric,
    scope,
    comparator: '>',
    threshold: defaultThreshold(metric),
    windowSeconds: window,
  };
}

interface ConditionRowProps {
  index: number;
  condition: ConditionInput;
  issues: Record<string, string>;
  service: string;
  environment: Environment;
  canRemove: boolean;
  onChange: (condition: ConditionInput) => void;
  onRemove: () => void;
}

/** One abort condition: metric, comparator, threshold with its unit and window, or the rising form. */
export function ConditionRow({
  index,
  condition,
  issues,
  service,
  environment,
  canRemove,
  onChange,
  onRemove,
}: ConditionRowProps) {
  const n = index + 1;
  const unit = METRIC_INFO[condition.metric].unit;
  const issue = (field: string) => issues[`abortConditions.${index}.${field}`];
  return (
    <li
      aria-label={`Abort condition ${n}`}
      className="flex flex-col gap-2 rounded-md border border-line p-3"
    >
      <div className="flex flex-wrap items-end gap-3">
        <Field label={`Metric of condition ${n}`} error={issue('metric')}>
          {(control) => (
            <select
              {...control}
              value={condition.metric}
              onChange={(e) =>
                onChange({ ...condition, metric: metricSchema.parse(e.target.value) })
              }
              className={inputClass}
            >
              {METRICS.map((metric) => (
                <option key={metric} value={metric}>
                  {METRIC_INFO[metric].label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={`Form of condition ${n}`}>
          {(control) => (
            <select
              {...control}
              value={condition.kind}
              onChange={(e) =>
                onChange(
                  switchKind(condition, e.target.value === 'rising' ? 'rising' : 'threshold'),
                )
              }
              className={inputClass}
            >
              <option value="threshold">crosses a threshold</option>
              <option value="rising">keeps rising</option>
            </select>
          )}
        </Field>
        {condition.kind === 'threshold' ? (
          <>
            <Field label={`Comparator of condition ${n}`} error={issue('comparator')}>
              {(control) => (
                <select
                  {...control}
                  value={condition.comparator}
                  onChange={(e) =>
                    onChange({ ...condition, comparator: comparatorSchema.parse(e.target.value) })
                  }
                  className={inputClass}
                >
                  {COMPARATORS.map((comparator) => (
                    <option key={comparator} value={comparator}>
                      {COMPARATOR_WORDS[comparator]} ({comparator})
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={`Threshold of condition ${n} (${unit})`} error={issue('threshold')}>
              {(control) => (
                <NumberInput
                  {...control}
                  value={condition.threshold}
                  onValueChange={(threshold) =>
                    onChange({ ...condition, threshold: threshold ?? Number.NaN })
                  }
                />
              )}
            </Field>
          </>
        ) : (
          <Field
            label={`Rise of condition ${n}, more than (${riseUnit(condition)})`}
            error={issue('delta')}
            hint={
              unit === '%'
                ? "from the window's start: 1 % → 3 % is a rise of 2 points"
                : "from the window's start"
            }
          >
            {(control) => (
              <NumberInput
                {...control}
                value={condition.delta}
                onValueChange={(delta) => onChange({ ...condition, delta: delta ?? Number.NaN })}
              />
            )}
          </Field>
        )}
        <Field
          label={`Window of condition ${n} (s)`}
          error={issue('windowSeconds')}
          hint={
            condition.kind === 'threshold' ? '0: the first sample past the threshold' : undefined
          }
        >
          {(control) => (
            <NumberInput
              {...control}
              value={condition.windowSeconds}
              onValueChange={(windowSeconds) =>
                onChange({ ...condition, windowSeconds: windowSeconds ?? Number.NaN })
              }
            />
          )}
        </Field>
        <Field label={`Scope of condition ${n}`} error={issue('scope')}>
          {(control) => (
            <select
              {...control}
              value={condition.scope ?? 'target'}
              onChange={(e) =>
                onChange({
                  ...condition,
                  scope: e.target.value === 'service' ? 'service' : 'target',
                })
              }
              className={inputClass}
            >
              <option value="target">the blast radius</option>
              <option value="service">the whole service</option>
            </select>
          )}
        </Field>
        <button
          type="button"
          aria-label={`Remove abort condition ${n}`}
          disabled={!canRemove}
          onClick={onRemove}
          className="ml-auto rounded border border-line px-2 py-1 text-xs font-semibold hover:border-danger disabled:opacity-40"
        >
          Remove
        </button>
      </div>
      <ConditionPreview condition={condition} service={service} environment={environment} />
    </li>
  );
}
