import { useLiveMetrics } from '@/lib/live/live-metrics-store';
import type { Metric } from '@/domain/metrics';
import { formatMetric } from '@/lib/format';
import { DEFAULT_SERIES_LABELS, type MonitorSeriesKeys, type SeriesLabels } from './monitor-plan';
import { latestValue } from './use-series-points';

/** The newest target and control values of one metric, readable from across the room. */
export function MonitorReading({
  metric,
  keys,
  labels = DEFAULT_SERIES_LABELS,
}: {
  metric: Metric;
  keys: MonitorSeriesKeys;
  labels?: SeriesLabels;
}) {
  const target = useLiveMetrics((s) =>
    s.revisions[keys.target] === undefined ? null : latestValue(keys.target, metric),
  );
  const control = useLiveMetrics((s) =>
    s.revisions[keys.control] === undefined ? null : latestValue(keys.control, metric),
  );
  const service = useLiveMetrics((s) =>
    s.revisions[keys.service] === undefined ? null : latestValue(keys.service, metric),
  );
  if (target === null && control === null) {
    return <span className="text-muted">service {formatMetric(metric, service)}</span>;
  }
  return (
    <>
      <span className="font-semibold text-target">
        {labels.target} {formatMetric(metric, target)}
      </span>
      <span className="text-control">
        {labels.control} {formatMetric(metric, control)}
      </span>
    </>
  );
}
