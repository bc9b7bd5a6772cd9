import { useMemo } from 'react';
import { useHasCapability } from '@/lib/backend-context';
import { isStale, useConnection } from '@/lib/live/connection-store';
import { ErrorMessage } from '@/components/error-message';
import type { Experiment } from '@/domain/experiment';
import { FlagEvaluationsChart } from './flag-evaluations-chart';
import { InheritedFlag } from './inherited-flag';
import { MonitorChart } from './monitor-chart';
import { MetricsGapNotice, useMonitorGap } from './metrics-gap-notice';
import { MonitorLegend } from './monitor-legend';
import { monitorMetrics, monitorSeriesKeys, monitorWindow, seriesLabels } from './monitor-plan';
import { useMetricHistory } from './use-metric-history';

export interface LiveMonitorProps {
  experiment: Experiment;
  /** Fixed chart width (px), for tests and benchmarks; the charts fill the grid otherwise. */
  chartWidth?: number;
}

/** The live monitor: one chart per metric, target against control, with the abort thresholds. */
export function LiveMonitor({ experiment, chartWidth }: LiveMonitorProps) {
  const historyError = useMetricHistory(experiment);
  const { id, service, environment } = experiment;
  const keys = useMemo(
    () => monitorSeriesKeys({ id, service, environment }),
    [id, service, environment],
  );
  const connection = useConnection((s) => s.state);
  const everLive = useConnection((s) => s.everLive);
  const unreadable = useMonitorGap(keys);
  const stale = (everLive && isStale(connection)) || unreadable;
  // Depends on the experiment only: this component does not re-render on every sample.
  const { run, steps } = experiment;
  const window = useMemo(() => monitorWindow({ run, steps }), [run, steps]);
  const source = experiment.blastRadius.source;
  const hasFlags = useHasCapability('flags');
  return (
    <section aria-label="Live monitor" className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-lg font-bold">Live monitor</h2>
        <MonitorLegend labels={seriesLabels(experiment)} />
      </div>
      {hasFlags && source.kind === 'flag' && (
        <InheritedFlag flagKey={source.flagKey} environment={experiment.environment} />
      )}
      {historyError !== null && <ErrorMessage error={historyError} />}
      <MetricsGapNotice keys={keys} labels={seriesLabels(experiment)} />
      <div className="grid grid-cols-1 gap-3 lg:grid-cols-2 2xl:grid-cols-3">
        {monitorMetrics(experiment).map((metric, index) => (
          <MonitorChart
            key={metric}
            index={index}
            experiment={experiment}
            metric={metric}
            keys={keys}
            window={window}
            stale={stale}
            width={chartWidth}
          />
        ))}
      </div>
      <FlagEvaluationsChart experiment={experiment} width={chartWidth} />
    </section>
  );
}
