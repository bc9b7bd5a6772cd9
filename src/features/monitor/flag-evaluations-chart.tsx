import { ErrorMessage } from '@/components/error-message';
import type { Experiment } from '@/domain/experiment';
import { FLAG_SERVICE } from '@/domain/target-kinds';
import { evaluationChart } from './flag-evaluation-lines';
import { FlagEvaluationPlot } from './flag-evaluation-plot';
import { useFlagEvaluations } from './use-flag-evaluations';

interface FlagEvaluationsChartProps {
  experiment: Pick<Experiment, 'service' | 'environment' | 'run' | 'state'>;
  /** Fixed width in px (tests); the chart fills its container otherwise. */
  width?: number;
}

/** "0/s", "2.5/s", "15/s" */
const perSecond = (value: number) =>
  `${value === 0 || value >= 10 ? Math.round(value) : value.toFixed(1)}/s`;

/**
 * Flag evaluations per second by flag, variant and reason, as the service's OpenFeature hook
 * counts them: whether users keep getting a safe value (the fallback, reason ERROR, drawn in
 * red) while the flag service is attacked. Shown for an experiment on the flag service, and
 * for any other whose service evaluates flags.
 */
export function FlagEvaluationsChart({ experiment, width }: FlagEvaluationsChartProps) {
  const { data, error, isPending } = useFlagEvaluations(experiment);
  const onFlagService = experiment.service === FLAG_SERVICE;
  const whose = onFlagService
    ? `the services in ${experiment.environment}`
    : `${experiment.service} in ${experiment.environment}`;
  // On another service, the panel appears only when that service evaluates flags.
  if (!onFlagService && (!data || data.series.length === 0)) return null;
  const chart = data ? evaluationChart(data.series) : null;
  const fallbackShare = chart && chart.total > 0 ? (100 * chart.fallbackNow) / chart.total : 0;
  return (
    <section
      aria-labelledby="flag-evaluations-title"
      className="flex flex-col gap-2 rounded-md border border-line bg-surface p-3"
    >
      <h3 id="flag-evaluations-title" className="font-semibold">
        Flag evaluations
      </h3>
      <p className="text-sm text-muted">
        Evaluations per second of {whose}, by flag, variant and reason, as their OpenFeature hook
        counts them. <span className="text-danger">Red</span>: the fallback value was served (reason
        ERROR: the flag service did not answer in time, or answered an error).
      </p>
      {error ? (
        <ErrorMessage error={error} />
      ) : isPending ? (
        <p className="text-sm text-muted">Reading flag evaluations…</p>
      ) : data?.unavailable ? (
        <p className="text-sm">{data.unavailable}</p>
      ) : !chart || chart.lines.length === 0 ? (
        <p className="text-sm">
          No flag evaluation was counted for {whose} in this window: no service here exports
          feature_flag_evaluations_total, or none evaluated a flag.
        </p>
      ) : (
        <>
          <p role="status" aria-label="Fallback now" className="text-sm">
            {chart.fallbackNow > 0 ? (
              <span className="font-semibold text-danger">
                Fallback value now: {perSecond(chart.fallbackNow)} of {perSecond(chart.total)} (
                {Math.round(fallbackShare)} %)
              </span>
            ) : (
              <span>
                No fallback now: {perSecond(chart.total)}, every one answered by the flag service
              </span>
            )}
          </p>
          <FlagEvaluationPlot
            chart={chart}
            whose={whose}
            width={width}
            startedAt={experiment.run?.startedAt}
            endedAt={experiment.run?.endedAt ?? undefined}
          />
          <ul
            aria-label="Flag evaluation series"
            className="flex flex-wrap gap-x-4 gap-y-1 text-sm"
          >
            {chart.lines.map((line) => (
              <li key={line.key} className="flex items-center gap-1.5">
                <span
                  aria-hidden
                  className="inline-block h-1 w-4 rounded"
                  style={{ background: line.color, height: line.fallback ? 4 : 2 }}
                />
                <span className={line.fallback ? 'font-semibold text-danger' : ''}>
                  {line.name}
                </span>
                <span className="text-muted">{perSecond(line.now)}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
