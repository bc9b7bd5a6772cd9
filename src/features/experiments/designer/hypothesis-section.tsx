import type { ExperimentSpecInput } from '@/domain';
import { Field, inputClass } from '@/components/field';

interface HypothesisSectionProps {
  spec: ExperimentSpecInput;
  issues: Record<string, string>;
  onChange: (update: (spec: ExperimentSpecInput) => ExperimentSpecInput) => void;
}

/** Name, what we expect the system to do, and anything else the team should know. */
export function HypothesisSection({ spec, issues, onChange }: HypothesisSectionProps) {
  return (
    <section
      aria-labelledby="designer-hypothesis"
      className="flex flex-col gap-3 rounded-lg border border-line bg-surface p-4"
    >
      <h2 id="designer-hypothesis" className="text-lg font-semibold">
        Name and hypothesis
      </h2>
      <Field label="Name" error={issues.name}>
        {(control) => (
          <input
            {...control}
            value={spec.name}
            onChange={(e) => onChange((s) => ({ ...s, name: e.target.value }))}
            className={inputClass}
          />
        )}
      </Field>
      <Field
        label="Hypothesis"
        hint="What you expect the system to do while it is harmed."
        error={issues.hypothesis}
      >
        {(control) => (
          <textarea
            {...control}
            rows={3}
            value={spec.hypothesis}
            onChange={(e) => onChange((s) => ({ ...s, hypothesis: e.target.value }))}
            className={inputClass}
          />
        )}
      </Field>
      <Field label="Notes" error={issues.notes}>
        {(control) => (
          <textarea
            {...control}
            rows={2}
            value={spec.notes ?? ''}
            onChange={(e) => onChange((s) => ({ ...s, notes: e.target.value }))}
            className={inputClass}
          />
        )}
      </Field>
    </section>
  );
}
