import { isStale, useConnection } from '@/backend/connection-store';
import { getSeries, useLiveMetrics } from '@/backend/live-metrics-store';
import { ErrorMessage } from '@/components/error-message';
import type { Experiment } from '@/domain/experiment';
import { MonitorChart } from './monitor-chart';
import { MonitorLegend } from './monitor-legend';
import { monitorMetrics, monitorSeriesKeys, monitorWindow } from './monitor-plan';
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
  const newest = useLiveMetrics((s) => s.newestSampleAt);
  // The service's series starts when this browser first heard of it (or its history does).
  const oldest = useLiveMetrics((s) => (s.revisions[keys.service] === undefined ? null : (getSeries(keys.service)?.oldestTime() ?? null)));
  const connection = useConnection((s) => s.state);
  const everLive = useConnection((s) => s.everLive);
  const stale = everLive && isStale(connection);
  const latest = newest ?? experiment.run?.startedAt ?? experiment.updatedAt;
  const window = monitorWindow(experiment, latest, oldest ?? latest);
  return (
    <section aria-label="Live monitor" className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-lg font-bold">Live monitor</h2>
        <MonitorLegend />
      </div>
      {historyError !== null && <ErrorMessage error={historyError} />}
      <div className="grid grid-cols-1 gap-3 lg:grid-cols-2 2xl:grid-cols-3">
        {monitorMetrics(experiment).map((metric) => (
          <MonitorChart
            key={metric}
            experiment={experiment}
            metric={metric}
            keys={keys}
            window={window}
            newest={latest}
            stale={stale}
            width={chartWidth}
          />
        ))}
      </div>
    </section>
  );
}
