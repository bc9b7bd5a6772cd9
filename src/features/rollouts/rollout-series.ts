import { useMemo } from 'react';
import { getSeries, metricColumn, useLiveMetrics } from '@/lib/live/live-metrics-store';
import { downsampleMinMax, NO_POINTS, type SeriesPoints } from '@/lib/downsample';
import { seriesKey, type Metric } from '@/domain/metrics';
import type { RolloutSpec } from '@/domain/rollouts';

/** The two sides' series: canary and stable, or the flag's on and off cohorts. */
export interface RolloutSeriesKeys {
  target: string;
  control: string;
}

/** How the metrics source tells the two sides apart: by version, or by the flag's cohort. */
export function sideFilters(spec: RolloutSpec): {
  target: { version: 'canary' } | { cohort: 'on' };
  control: { version: 'stable' } | { cohort: 'off' };
} {
  return spec.kind === 'canary'
    ? { target: { version: 'canary' }, control: { version: 'stable' } }
    : { target: { cohort: 'on' }, control: { cohort: 'off' } };
}

export function rolloutSeriesKeys(spec: RolloutSpec): RolloutSeriesKeys {
  const base = { service: spec.service, environment: spec.environment, group: 'all' as const };
  const sides = sideFilters(spec);
  return {
    target: seriesKey({ ...base, ...sides.target }),
    control: seriesKey({ ...base, ...sides.control }),
  };
}

/** The points to draw for one metric of one series; recomputed only when that series changes. */
export function useSidePoints(key: string, metric: Metric, from: number, to: number): SeriesPoints {
  const revision = useLiveMetrics((s) => s.revisions[key] ?? 0);
  return useMemo(() => {
    const buffer = revision >= 0 ? getSeries(key) : undefined;
    return buffer ? downsampleMinMax(buffer, metricColumn(metric), from, to) : NO_POINTS;
  }, [key, metric, from, to, revision]);
}

/** The mean of a series over [from, to] (null when it has no sample there). */
export function seriesMean(key: string, metric: Metric, from: number, to: number): number | null {
  const buffer = getSeries(key);
  if (!buffer) return null;
  const column = metricColumn(metric);
  let sum = 0;
  let count = 0;
  for (let i = buffer.lowerBound(from); i < buffer.length && buffer.timeAt(i) <= to; i++) {
    if (buffer.isGap(i)) continue;
    sum += buffer.valueAt(i, column);
    count++;
  }
  return count === 0 ? null : sum / count;
}

/** The highest value of the given series between `from` and `to` (0 when there is none). */
export function seriesPeak(
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
    for (let i = buffer.lowerBound(from); i < buffer.length && buffer.timeAt(i) <= to; i++) {
      const value = buffer.valueAt(i, column);
      if (value > max) max = value;
    }
  }
  return max;
}

/** The newest value of a series, or null. */
export function newestValue(key: string, metric: Metric): number | null {
  const buffer = getSeries(key);
  if (!buffer) return null;
  for (let i = buffer.length - 1; i >= 0; i--)
    if (!buffer.isGap(i)) return buffer.valueAt(i, metricColumn(metric));
  return null;
}
