import { Field, inputClass } from '@/components/field';
import { MAX_ROLLOUT_STEPS } from '@/domain/rollouts';
import { NumberBox } from './number-box';
import type { DraftStep, StepEnd } from './rollout-draft';

interface StepsEditorProps {
  steps: DraftStep[];
  issues: Record<string, string>;
  onChange: (steps: DraftStep[]) => void;
}

const smallButton =
  'rounded border border-line px-2 py-0.5 text-xs font-semibold hover:border-fg disabled:opacity-40';

const STEP_ENDS: readonly (readonly [StepEnd, string])[] = [
  ['wait', 'after a wait'],
  ['time', 'at a time'],
  ['person', 'when a person promotes it'],
];

/** The weight steps: the share of traffic on the new side, and how each step ends. */
export function StepsEditor({ steps, issues, onChange }: StepsEditorProps) {
  const setStep = (index: number, next: Partial<DraftStep>) =>
    onChange(steps.map((s, i) => (i === index ? { ...s, ...next } : s)));
  return (
    <div className="flex flex-col gap-2">
      <ol className="flex flex-col gap-2" aria-label="Weight steps">
        {steps.map((step, index) => {
          const n = index + 1;
          return (
            <li
              key={index}
              aria-label={`Step ${n}`}
              className="flex flex-wrap items-end gap-3 rounded-md border border-line p-2"
            >
              <span className="w-14 self-center text-sm font-semibold">Step {n}</span>
              <Field label={`Weight of step ${n} (%)`} error={issues[`steps.${index}.weight`]}>
                {(control) => (
                  <NumberBox
                    {...control}
                    value={step.weight}
                    onValueChange={(weight) => setStep(index, { weight })}
                  />
                )}
              </Field>
              <Field label={`Step ${n} ends`}>
                {(control) => (
                  <select
                    {...control}
                    value={step.ends}
                    onChange={(e) => setStep(index, { ends: e.target.value as StepEnd })}
                    className={inputClass}
                  >
                    {STEP_ENDS.map(([value, label]) => (
                      <option key={value} value={value}>
                        {label}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              {step.ends === 'wait' && (
                <Field label={`Wait of step ${n} (s)`} error={issues[`steps.${index}.waitSeconds`]}>
                  {(control) => (
                    <NumberBox
                      {...control}
                      value={step.waitSeconds}
                      onValueChange={(waitSeconds) => setStep(index, { waitSeconds })}
                    />
                  )}
                </Field>
              )}
              {step.ends === 'time' && (
                <Field
                  label={`Time of step ${n}`}
                  hint="your time zone"
                  error={issues[`steps.${index}.waitUntil`]}
                >
                  {(control) => (
                    <input
                      {...control}
                      type="datetime-local"
                      value={step.waitUntil}
                      onChange={(e) => setStep(index, { waitUntil: e.target.value })}
                      className={inputClass}
                    />
                  )}
                </Field>
              )}
              <button
                type="button"
                className={`${smallButton} ml-auto`}
                aria-label={`Remove step ${n}`}
                disabled={steps.length === 1}
                onClick={() => onChange(steps.filter((_, i) => i !== index))}
              >
                Remove
              </button>
            </li>
          );
        })}
      </ol>
      {issues.steps && <p className="text-xs font-semibold text-danger">{issues.steps}</p>}
      <div>
        <button
          type="button"
          className="rounded-md border border-line px-3 py-1 text-sm font-semibold hover:border-fg disabled:opacity-40"
          disabled={steps.length >= MAX_ROLLOUT_STEPS}
          onClick={() => {
            const last = steps[steps.length - 1];
            const weight = Math.min(100, (last?.weight ?? 0) + 25);
            onChange([
              ...steps,
              { weight, waitSeconds: last?.waitSeconds ?? 60, waitUntil: '', ends: 'wait' },
            ]);
          }}
        >
          Add step
        </button>
      </div>
    </div>
  );
}
