import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useBackend } from '@/lib/backend-context';
import { getSeries, metricColumn, useLiveMetrics } from '@/lib/live/live-metrics-store';
import { seriesKey, type Environment, type Metric, type TimedValue } from '@/domain';
import { metricHistoryQuery } from '@/lib/queries/experiments';

/** How far back the preview looks: the server's steady-state check reads the last minutes too. */
const RECENT_WINDOW_MS = 10 * 60_000;

interface RecentValues {
  values: TimedValue[];
  loading: boolean;
  error: unknown;
}

/**
 * The recent values of one metric of a whole service in one environment (the samples the
 * server's steady-state check reads), from history and then the live stream.
 */
export function useRecentValues(
  service: string,
  environment: Environment,
  metric: Metric,
): RecentValues {
  const backend = useBackend();
  const [openedAt] = useState(() => Date.now());
  const query = metricHistoryQuery(backend, {
    service,
    environment,
    group: 'all',
    since: openedAt - RECENT_WINDOW_MS,
  });
  const history = useQuery({ ...query, enabled: service !== '' });
  const key = seriesKey({ service, environment, group: 'all' });
  const revision = useLiveMetrics((s) => s.revisions[key] ?? 0);

  const values = useMemo(() => {
    const buffer = revision >= 0 ? getSeries(key) : undefined;
    if (!buffer || buffer.length === 0) return [];
    const newest = buffer.newestTime() ?? Date.now();
    const column = metricColumn(metric);
    const recent: TimedValue[] = [];
    for (let i = buffer.lowerBound(newest - RECENT_WINDOW_MS); i < buffer.length; i++) {
      if (!buffer.isGap(i)) recent.push({ t: buffer.timeAt(i), value: buffer.valueAt(i, column) });
    }
    return recent;
  }, [key, metric, revision]);

  return { values, loading: history.isPending && service !== '', error: history.error };
}
