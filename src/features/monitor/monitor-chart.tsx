import { useMemo } from 'react';
import { useLiveMetrics } from '@/lib/live/live-metrics-store';
import {
  sameTimeAxis,
  timeRange,
  type ChartThreshold,
  type TimeAxis,
} from '@/components/chart/chart-types';
import { MetricChart } from '@/components/chart/metric-chart';
import { valueAxis } from '@/components/chart/time-ticks';
import type { Experiment } from '@/domain/experiment';
import { METRIC_INFO, type Metric } from '@/domain/metrics';
import {
  monitorMarkers,
  seriesLabels,
  thresholdPlans,
  type MonitorSeriesKeys,
} from './monitor-plan';
import { MonitorLines, risingSlopes, slopeEnd } from './monitor-lines';
import { MonitorReading } from './monitor-reading';
import { seriesMax } from './use-series-points';
import { useStaggered } from './use-staggered';

interface MonitorChartProps {
  experiment: Experiment;
  metric: Metric;
  keys: MonitorSeriesKeys;
  window: TimeAxis;
  stale: boolean;
  /** Position among the monitor's charts: when the time axis changes, chart n follows n frames later. */
  index?: number;
  width?: number;
}

const FRAME_MS = 16;

/**
 * One metric of the monitor: target against control and the whole service, with the line of
 * every abort condition on it. The frame re-renders only when its axis or scale or the
 * experiment changes; the lines, markers and reading follow the stream on their own.
 */
export function MonitorChart({
  experiment,
  metric,
  keys,
  window: wanted,
  stale,
  index = 0,
  width,
}: MonitorChartProps) {
  const window = useStaggered(wanted, index * FRAME_MS, sameTimeAxis);
  const { abortConditions } = experiment;
  const endedAt = experiment.run?.endedAt ?? null;
  const plans = useMemo(
    () => thresholdPlans({ abortConditions }, metric),
    [abortConditions, metric],
  );
  const fixed: ChartThreshold[] = useMemo(
    () =>
      plans.flatMap(({ condition, label, shortLabel }) =>
        condition.kind === 'threshold' ? [{ value: condition.threshold, label, shortLabel }] : [],
      ),
    [plans],
  );
  const topThreshold = Math.max(0, ...fixed.map((t) => t.value));
  const ceiling = useLiveMetrics((s) => {
    const newest = s.newestSampleAt ?? 0;
    const [from, to] = timeRange(window, newest);
    const slopes = risingSlopes({ abortConditions }, metric, keys, slopeEnd(to, newest, endedAt));
    const top = Math.max(topThreshold, ...slopes.map((s) => s.to.value));
    const max = Math.max(
      top,
      seriesMax([keys.target, keys.control, keys.service], metric, from, to),
    );
    // Rounded (to the axis' step), so the frame redraws only when the data crosses a round value.
    const rounded = valueAxis(max).ceiling;
    return METRIC_INFO[metric].unit === '%' && max <= 100 ? Math.min(rounded, 100) : rounded;
  });
  const info = METRIC_INFO[metric];
  const labels = useMemo(() => seriesLabels(experiment), [experiment]);
  const summary = [
    `${info.label} of ${labels.lines}`,
    ...plans.map((p) => `aborts when ${p.label}`),
  ].join('; ');
  const markers = useMemo(() => monitorMarkers(experiment), [experiment]);
  // Stable elements, so the frame (memoised) is not redrawn for nothing.
  const reading = useMemo(
    () => <MonitorReading metric={metric} keys={keys} labels={labels} />,
    [metric, keys, labels],
  );
  const lines = useMemo(
    () => (
      <MonitorLines
        experiment={{ abortConditions }}
        metric={metric}
        keys={keys}
        window={window}
        markers={markers}
        labels={labels}
        endedAt={endedAt}
      />
    ),
    [abortConditions, metric, keys, window, markers, labels, endedAt],
  );

  return (
    <MetricChart
      title={info.label}
      unit={info.unit}
      time={window}
      ceiling={ceiling}
      thresholds={fixed}
      stale={stale}
      summary={summary}
      reading={reading}
      width={width}
    >
      {lines}
    </MetricChart>
  );
}
