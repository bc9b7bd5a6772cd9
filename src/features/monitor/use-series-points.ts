import { useMemo } from 'react';
import { getSeries, metricColumn, useLiveMetrics } from '@/lib/live/live-metrics-store';
import type { Metric } from '@/domain/metrics';
import { downsampleMinMax, NO_POINTS, type SeriesPoints } from '@/lib/downsample';

/** The points to draw for one metric of one series; recomputed only when that series changes. */
export function useSeriesPoints(
  key: string,
  metric: Metric,
  from: number,
  to: number,
): SeriesPoints {
  const revision = useLiveMetrics((s) => s.revisions[key] ?? 0);
  return useMemo(() => {
    const buffer = revision >= 0 ? getSeries(key) : undefined;
    return buffer ? downsampleMinMax(buffer, metricColumn(metric), from, to) : NO_POINTS;
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

/** The highest value of the given series between `from` and `to` (0 when there is none). */
export function seriesMax(
  keys: readonly string[],
  metric: Metric,
  from: number,
  to: number,
): number {
  const column = metricColumn(metric);
  let max = 0;
  for (const key of keys) {
    const buffer = getSeries(key);
    if (!buffer) continue;
    const values = buffer.columnStorage(column);
    const size = buffer.storageSize;
    const end = buffer.lowerBound(to + 1);
    // Raw storage: this runs for every chart on every sample. NaN (a gap) never wins.
    for (
      let i = buffer.lowerBound(from), slot = buffer.slot(i);
      i < end;
      i++, slot = slot + 1 === size ? 0 : slot + 1
    ) {
      const value = values[slot] ?? 0;
      if (value > max) max = value;
    }
  }
  return max;
}

/** The newest value of a series, or null. */
export function latestValue(key: string, metric: Metric): number | null {
  const buffer = getSeries(key);
  if (!buffer) return null;
  for (let i = buffer.length - 1; i >= 0; i--)
    if (!buffer.isGap(i)) return buffer.valueAt(i, metricColumn(metric));
  return null;
}
