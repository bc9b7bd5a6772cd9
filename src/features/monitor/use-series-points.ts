import { useMemo } from 'react';
import { getSeries, metricColumn, useLiveMetrics } from '@/backend/live-metrics-store';
import type { Metric } from '@/domain/metrics';
import { downsampleMinMax, type ChartPoint } from '@/lib/downsample';

/** The points to draw for one metric of one series; recomputed only when that series changes. */
export function useSeriesPoints(key: string, metric: Metric, from: number, to: number): ChartPoint[] {
  const revision = useLiveMetrics((s) => s.revisions[key] ?? 0);
  return useMemo(() => {
    const buffer = revision >= 0 ? getSeries(key) : undefined;
    return buffer ? downsampleMinMax(buffer, metricColumn(metric), from, to) : [];
  }, [key, metric, from, to, revision]);
}

/** The value a series had at `t` (the first sample at or after it), for "rises by" lines. */
export function valueAt(key: string, metric: Metric, t: number): number | null {
  const buffer = getSeries(key);
  if (!buffer) return null;
  for (let i = buffer.lowerBound(t); i < buffer.length; i++) {
    if (!buffer.isGap(i)) return buffer.valueAt(i, metricColumn(metric));
  }
  return null;
}
