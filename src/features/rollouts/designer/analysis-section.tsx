import { Field } from '@/components/field';
import { METRIC_INFO } from '@/domain/metrics';
import { ROLLOUT_METRICS, ROLLOUT_MIN_EFFECT, type RolloutMetric } from '@/domain/rollouts';
import { NumberBox } from './number-box';
import type { RolloutDraft } from './rollout-draft';

interface AnalysisSectionProps {
  draft: RolloutDraft;
  issues: Record<string, string>;
  onChange: (change: (draft: RolloutDraft) => RolloutDraft) => void;
}

function tolerated(metric: RolloutMetric): string {
  const unit = METRIC_INFO[metric].unit;
  return unit === '%'
    ? `${ROLLOUT_MIN_EFFECT[metric]} points`
    : `${ROLLOUT_MIN_EFFECT[metric]} ${unit}`;
}

/** What each step is judged on, and how sure the judge must be. */
export function AnalysisSection({ draft, issues, onChange }: AnalysisSectionProps) {
  const toggle = (metric: RolloutMetric, on: boolean) =>
    onChange((d) => ({
      ...d,
      metrics: on
        ? ROLLOUT_METRICS.filter((m) => m === metric || d.metrics.includes(m))
        : d.metrics.filter((m) => m !== metric),
    }));
  const metricsError = issues['analysis.metrics'];
  return (
    <section
      aria-labelledby="rollout-analysis"
      className="flex flex-col gap-3 rounded-lg border border-line bg-surface p-4"
    >
      <h2 id="rollout-analysis" className="text-lg font-semibold">
        Analysis
      </h2>
      <fieldset
        aria-describedby={metricsError ? 'rollout-metrics-error' : undefined}
        className="flex flex-col gap-1"
      >
        <legend className="text-sm font-semibold text-muted">Metrics and tolerances</legend>
        {ROLLOUT_METRICS.map((metric) => (
          <label key={metric} className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              checked={draft.metrics.includes(metric)}
              onChange={(e) => toggle(metric, e.target.checked)}
            />
            {METRIC_INFO[metric].label}
            <span className="text-muted">(a rise under {tolerated(metric)} is tolerated)</span>
          </label>
        ))}
        {metricsError && (
          <span id="rollout-metrics-error" className="text-xs font-semibold text-danger">
            {metricsError}
          </span>
        )}
      </fieldset>
      <div className="flex flex-wrap gap-4">
        <Field
          label="Minimum samples each side"
          hint="The judge says nothing before this many."
          error={issues['analysis.minSamples']}
        >
          {(control) => (
            <NumberBox
              {...control}
              value={draft.minSamples}
              onValueChange={(minSamples) => onChange((d) => ({ ...d, minSamples }))}
            />
          )}
        </Field>
        <Field label="Confidence" hint="0.8 to 0.999" error={issues['analysis.confidence']}>
          {(control) => (
            <NumberBox
              {...control}
              value={draft.confidence}
              onValueChange={(confidence) => onChange((d) => ({ ...d, confidence }))}
            />
          )}
        </Field>
        <Field
          label="Tolerance"
          hint="Share of the shift its interval must clear, 0 to 1."
          error={issues['analysis.tolerance']}
        >
          {(control) => (
            <NumberBox
              {...control}
              value={draft.tolerance}
              onValueChange={(tolerance) => onChange((d) => ({ ...d, tolerance }))}
            />
          )}
        </Field>
      </div>
    </section>
  );
}
