import { useLiveMetrics } from '@/backend/live-metrics-store';
import type { Metric } from '@/domain/metrics';
import { formatMetric } from '@/lib/format';
import type { MonitorSeriesKeys } from './monitor-plan';
import { latestValue } from './use-series-points';

/** The newest target and control values of one metric, readable from across the room. */
export function MonitorReading({ metric, keys }: { metric: Metric; keys: MonitorSeriesKeys }) {
  const target = useLiveMetrics((s) => (s.revisions[keys.target] === undefined ? null : latestValue(keys.target, metric)));
  const control = useLiveMetrics((s) => (s.revisions[keys.control] === undefined ? null : latestValue(keys.control, metric)));
  const service = useLiveMetrics((s) => (s.revisions[keys.service] === undefined ? null : latestValue(keys.service, metric)));
  if (target === null && control === null) {
    return <span className="text-muted">service {formatMetric(metric, service)}</span>;
  }
  return (
    <>
      <span className="font-semibold text-target">target {formatMetric(metric, target)}</span>
      <span className="text-control">control {formatMetric(metric, control)}</span>
    </>
  );
}
