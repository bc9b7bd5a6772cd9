import { Field } from '@/components/field';
import { NumberBox } from './number-box';
import type { RolloutDraft } from './rollout-draft';

interface DefectSectionProps {
  draft: RolloutDraft;
  issues: Record<string, string>;
  onChange: (change: (draft: RolloutDraft) => RolloutDraft) => void;
}

/** Simulation only: a defect the new version carries, so a rollback can be seen. */
export function DefectSection({ draft, issues, onChange }: DefectSectionProps) {
  return (
    <details className="rounded-lg border border-line bg-surface p-4">
      <summary className="cursor-pointer text-lg font-semibold">
        Simulated defect <span className="text-sm font-normal text-muted">(simulation only)</span>
      </summary>
      <p className="mt-2 text-sm text-muted">
        The simulated fleet can give the new version a fault, to watch the judge roll it back. Leave
        both at 0 for a healthy version.
      </p>
      <div className="mt-3 flex flex-wrap gap-4">
        <Field label="Extra 5xx answers (%)" error={issues['defect.fivexxPercent']}>
          {(control) => (
            <NumberBox
              {...control}
              value={draft.defect5xxPercent}
              onValueChange={(defect5xxPercent) => onChange((d) => ({ ...d, defect5xxPercent }))}
            />
          )}
        </Field>
        <Field label="Added latency (ms)" error={issues['defect.addedLatencyMs']}>
          {(control) => (
            <NumberBox
              {...control}
              value={draft.defectLatencyMs}
              onValueChange={(defectLatencyMs) => onChange((d) => ({ ...d, defectLatencyMs }))}
            />
          )}
        </Field>
      </div>
    </details>
  );
}
