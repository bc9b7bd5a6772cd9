import {
  ATTACK_INFO,
  MAX_STEPS,
  formatDuration,
  type AttackType,
  type ExperimentSpecInput,
} from '@/domain';
import { Field } from '@/components/field';
import { NumberInput } from './number-input';
import { StepChart } from './step-chart';

type Steps = ExperimentSpecInput['steps'];

interface RampEditorProps {
  type: AttackType;
  steps: Steps;
  issues: Record<string, string>;
  onChange: (steps: Steps) => void;
}

function move(steps: Steps, from: number, to: number): Steps {
  const next = [...steps];
  const [step] = next.splice(from, 1);
  if (step) next.splice(to, 0, step);
  return next;
}

const smallButton =
  'rounded border border-line px-2 py-0.5 text-xs font-semibold hover:border-fg disabled:opacity-40';

/** The ramp: steps of magnitude and duration, added, reordered and removed. */
export function RampEditor({ type, steps, issues, onChange }: RampEditorProps) {
  const info = ATTACK_INFO[type].magnitude;
  const setStep = (index: number, next: Partial<Steps[number]>) =>
    onChange(steps.map((s, i) => (i === index ? { ...s, ...next } : s)));
  return (
    <div className="flex flex-col gap-3">
      <ol className="flex flex-col gap-2" aria-label="Ramp steps">
        {steps.map((step, index) => (
          <li
            key={index}
            aria-label={`Step ${index + 1}`}
            className="flex flex-wrap items-end gap-3 rounded-md border border-line p-2"
          >
            <span className="w-14 self-center text-sm font-semibold">Step {index + 1}</span>
            {info && (
              <Field
                label={`Magnitude of step ${index + 1} (${info.unit})`}
                hint={`${info.min}–${info.max} ${info.unit}`}
                error={issues[`steps.${index}.magnitude`]}
              >
                {(control) => (
                  <NumberInput
                    {...control}
                    value={step.magnitude}
                    onValueChange={(magnitude) => setStep(index, { magnitude })}
                  />
                )}
              </Field>
            )}
            <Field
              label={`Duration of step ${index + 1} (s)`}
              hint={
                Number.isFinite(step.durationSeconds) && step.durationSeconds > 0
                  ? formatDuration(step.durationSeconds)
                  : undefined
              }
              error={issues[`steps.${index}.durationSeconds`]}
            >
              {(control) => (
                <NumberInput
                  {...control}
                  value={step.durationSeconds}
                  onValueChange={(durationSeconds) =>
                    setStep(index, { durationSeconds: durationSeconds ?? Number.NaN })
                  }
                />
              )}
            </Field>
            <div className="ml-auto flex gap-1">
              <button
                type="button"
                className={smallButton}
                aria-label={`Move step ${index + 1} earlier`}
                disabled={index === 0}
                onClick={() => onChange(move(steps, index, index - 1))}
              >
                ↑
              </button>
              <button
                type="button"
                className={smallButton}
                aria-label={`Move step ${index + 1} later`}
                disabled={index === steps.length - 1}
                onClick={() => onChange(move(steps, index, index + 1))}
              >
                ↓
              </button>
              <button
                type="button"
                className={smallButton}
                aria-label={`Remove step ${index + 1}`}
                disabled={steps.length === 1}
                onClick={() => onChange(steps.filter((_, i) => i !== index))}
              >
                Remove
              </button>
            </div>
          </li>
        ))}
      </ol>
      {issues.steps && <p className="text-xs font-semibold text-danger">{issues.steps}</p>}
      <div>
        <button
          type="button"
          className="rounded-md border border-line px-3 py-1 text-sm font-semibold hover:border-fg disabled:opacity-40"
          disabled={steps.length >= MAX_STEPS}
          onClick={() =>
            onChange([...steps, { ...(steps[steps.length - 1] ?? { durationSeconds: 60 }) }])
          }
        >
          Add step
        </button>
      </div>
      <StepChart type={type} steps={steps} />
    </div>
  );
}
