import { formatAge } from '@/lib/format';
import { useMetricGaps } from '@/lib/live/metric-gaps-store';
import { useServerNow } from '@/lib/live/use-server-now';
import type { MonitorSeriesKeys, SeriesLabels } from './monitor-plan';

/**
 * Says which lines the server cannot read (its metrics source is down, slow, or has no data)
 * and why, in its words: what the charts show for them is stale, never a healthy reading.
 */
export function MetricsGapNotice({
  keys,
  labels,
}: {
  keys: MonitorSeriesKeys;
  labels: SeriesLabels;
}) {
  const target = useMetricGaps((s) => s.gaps[keys.target]);
  const control = useMetricGaps((s) => s.gaps[keys.control]);
  const service = useMetricGaps((s) => s.gaps[keys.service]);
  const now = useServerNow();
  const lines = [
    { name: labels.target, gap: target },
    { name: labels.control, gap: control },
    { name: 'whole service', gap: service },
  ].flatMap(({ name, gap }) => (gap ? [{ name, gap }] : []));
  const first = lines[0];
  if (!first) return null;
  const since = Math.min(...lines.map((l) => l.gap.since));
  return (
    <div role="alert" className="rounded-md border border-warn bg-warn/15 px-3 py-2 text-sm">
      <strong>
        Stale data: the {lines.map((l) => l.name).join(', ')} cannot be read (for{' '}
        {formatAge(now - since)}).
      </strong>
      <span className="block text-muted">{first.gap.reason}</span>
    </div>
  );
}

/** Whether any line of the monitor is unreadable right now. */
export function useMonitorGap(keys: MonitorSeriesKeys): boolean {
  return useMetricGaps(
    (s) => keys.target in s.gaps || keys.control in s.gaps || keys.service in s.gaps,
  );
}
