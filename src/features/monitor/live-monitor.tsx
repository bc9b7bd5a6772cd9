import { isStale, useConnection } from '@/backend/connection-store';
import { getSeries, useLiveMetrics } from '@/backend/live-metrics-store';
import { ErrorMessage } from '@/components/error-message';
import type { Experiment } from '@/domain/experiment';
import { InheritedFlag } from './inherited-flag';
import { MonitorChart } from './monitor-chart';
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
  const keys = monitorSeriesKeys(experiment);
  const connection = useConnection((s) => s.state);
  const everLive = useConnection((s) => s.everLive);
  const stale = everLive && isStale(connection);
  // The window moves in steps (see monitorWindow): selecting its two ends as numbers means
  // this component re-renders when the window moves, not on every sample.
  const windowAt = (newest: number | null) => {
    const latest = newest ?? experiment.run?.startedAt ?? experiment.updatedAt;
    return monitorWindow(experiment, latest, getSeries(keys.service)?.oldestTime() ?? latest);
  };
  const from = useLiveMetrics((s) => windowAt(s.newestSampleAt)[0]);
  const to = useLiveMetrics((s) => windowAt(s.newestSampleAt)[1]);
  const source = experiment.blastRadius.source;
  return (
    <section aria-label="Live monitor" className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-lg font-bold">Live monitor</h2>
        <MonitorLegend labels={seriesLabels(experiment)} />
      </div>
      {source.kind === 'flag' && <InheritedFlag flagKey={source.flagKey} environment={experiment.environment} />}
      {historyError !== null && <ErrorMessage error={historyError} />}
      <div className="grid grid-cols-1 gap-3 lg:grid-cols-2 2xl:grid-cols-3">
        {monitorMetrics(experiment).map((metric, index) => (
          <MonitorChart
            key={metric}
            index={index}
            experiment={experiment}
            metric={metric}
            keys={keys}
            window={[from, to]}
            stale={stale}
            width={chartWidth}
          />
        ))}
      </div>
    </section>
  );
}
