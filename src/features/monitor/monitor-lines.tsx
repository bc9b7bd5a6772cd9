import { useLiveMetrics } from '@/lib/live/live-metrics-store';
import {
  timeRange,
  type ChartMarker,
  type ChartSlope,
  type TimeAxis,
} from '@/components/chart/chart-types';
import { LiveLines } from '@/components/chart/live-lines';
import type { Experiment } from '@/domain/experiment';
import type { Metric } from '@/domain/metrics';
import {
  DEFAULT_SERIES_LABELS,
  thresholdPlans,
  type MonitorSeriesKeys,
  type SeriesLabels,
} from './monitor-plan';
import { useSeriesPoints, valueAt } from './use-series-points';

interface MonitorLinesProps {
  experiment: Pick<Experiment, 'abortConditions'>;
  metric: Metric;
  keys: MonitorSeriesKeys;
  window: TimeAxis;
  markers?: ChartMarker[];
  labels?: SeriesLabels;
  /** When the run ended (epoch ms): nothing is judged after it, so no slope is drawn past it. */
  endedAt?: number | null | undefined;
}

/** Where the "keeps rising" slopes end: now, or the run's end once it has ended. */
export function slopeEnd(to: number, newest: number | null, endedAt: number | null | undefined) {
  return Math.min(to, newest ?? to, endedAt ?? Number.POSITIVE_INFINITY);
}

/**
 * Each "keeps rising" condition on `metric` as the slope it is: from where its series stood
 * one window before `now` up to that value plus the rise, at `now`; the series trips it by
 * ending above the slope's end. Before a run there is no target yet: the whole service
 * previews where it would stand.
 */
export function risingSlopes(
  experiment: Pick<Experiment, 'abortConditions'>,
  metric: Metric,
  keys: MonitorSeriesKeys,
  now: number,
): ChartSlope[] {
  return thresholdPlans(experiment, metric).flatMap(({ condition, label, shortLabel, series }) => {
    if (condition.kind !== 'rising') return [];
    const since = now - condition.windowSeconds * 1000;
    const anchor = valueAt(keys[series], metric, since) ?? valueAt(keys.service, metric, since);
    if (anchor === null) return [];
    return [
      {
        from: { t: since, value: anchor },
        to: { t: now, value: anchor + condition.delta },
        label,
        shortLabel,
      },
    ];
  });
}

/** The live part of one monitor chart: target, control and whole service, and "keeps rising" slopes. */
export function MonitorLines({
  experiment,
  metric,
  keys,
  window,
  markers = [],
  labels = DEFAULT_SERIES_LABELS,
  endedAt,
}: MonitorLinesProps) {
  const newest = useLiveMetrics((s) => s.newestSampleAt);
  const [from, to] = timeRange(window, newest ?? 0);
  const target = useSeriesPoints(keys.target, metric, from, to);
  const control = useSeriesPoints(keys.control, metric, from, to);
  const service = useSeriesPoints(keys.service, metric, from, to);
  const slopes = risingSlopes(experiment, metric, keys, slopeEnd(to, newest, endedAt));

  return (
    <LiveLines
      series={[
        { name: 'whole service', color: 'var(--fl-service)', points: service, secondary: true },
        { name: labels.control, color: 'var(--fl-control)', points: control },
        { name: labels.target, color: 'var(--fl-target)', points: target },
      ]}
      slopes={slopes}
      markers={markers}
      originMs={window.kind === 'sliding' ? (newest ?? 0) : 0}
    />
  );
}
