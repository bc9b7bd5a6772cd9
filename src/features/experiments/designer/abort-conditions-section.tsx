import { MAX_ABORT_CONDITIONS, type ExperimentSpecInput } from '@/domain';
import { ConditionRow, defaultThreshold } from './condition-row';

interface AbortConditionsSectionProps {
  spec: ExperimentSpecInput;
  issues: Record<string, string>;
  onChange: (update: (spec: ExperimentSpecInput) => ExperimentSpecInput) => void;
}

/** When to stop: the backend evaluates these on every sample and aborts when one holds. */
export function AbortConditionsSection({ spec, issues, onChange }: AbortConditionsSectionProps) {
  const conditions = spec.abortConditions;
  const setConditions = (next: ExperimentSpecInput['abortConditions']) =>
    onChange((s) => ({ ...s, abortConditions: next }));
  return (
    <section
      aria-labelledby="designer-abort"
      className="flex flex-col gap-3 rounded-lg border border-line bg-surface p-4"
    >
      <h2 id="designer-abort" className="text-lg font-semibold">
        Abort conditions
      </h2>
      <p className="text-sm text-muted">
        The server checks these on every sample and removes every injection when one holds. Before
        starting, none may hold already.
      </p>
      <ol className="flex flex-col gap-2" aria-label="Abort conditions">
        {conditions.map((condition, index) => (
          <ConditionRow
            key={index}
            index={index}
            condition={condition}
            issues={issues}
            service={spec.service}
            environment={spec.environment}
            canRemove={conditions.length > 1}
            onChange={(next) => setConditions(conditions.map((c, i) => (i === index ? next : c)))}
            onRemove={() => setConditions(conditions.filter((_, i) => i !== index))}
          />
        ))}
      </ol>
      {issues.abortConditions && (
        <p className="text-xs font-semibold text-danger">{issues.abortConditions}</p>
      )}
      <div>
        <button
          type="button"
          disabled={conditions.length >= MAX_ABORT_CONDITIONS}
          onClick={() =>
            setConditions([
              ...conditions,
              {
                kind: 'threshold',
                metric: 'error_rate',
                comparator: '>',
                threshold: defaultThreshold('error_rate'),
                windowSeconds: 10,
                scope: 'target',
              },
            ])
          }
          className="rounded-md border border-line px-3 py-1 text-sm font-semibold hover:border-fg disabled:opacity-40"
        >
          Add abort condition
        </button>
      </div>
    </section>
  );
}
