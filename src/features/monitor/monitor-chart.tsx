import { useLiveMetrics } from '@/backend/live-metrics-store';
import type { ChartThreshold } from '@/components/chart/chart-types';
import { MetricChart } from '@/components/chart/metric-chart';
import { valueAxis } from '@/components/chart/time-ticks';
import type { Experiment } from '@/domain/experiment';
import { METRIC_INFO, type Metric } from '@/domain/metrics';
import { monitorMarkers, seriesLabels, thresholdPlans, type MonitorSeriesKeys } from './monitor-plan';
import { MonitorLines, movingThresholds } from './monitor-lines';
import { MonitorReading } from './monitor-reading';
import { useStaggered } from './use-staggered';
import { seriesMax } from './use-series-points';

export interface MonitorChartProps {
  experiment: Experiment;
  metric: Metric;
  keys: MonitorSeriesKeys;
  window: [number, number];
  stale: boolean;
  /** Position among the monitor's charts: when the window moves, chart n follows n frames later. */
  index?: number;
  width?: number;
}

const FRAME_MS = 16;
const sameWindow = (a: [number, number], b: [number, number]) => a[0] === b[0] && a[1] === b[1];

/**
 * One metric of the monitor: target against control and the whole service, with the line of
 * every abort condition on it. The frame re-renders only when its window, scale or
 * experiment changes; the lines and the reading follow the stream on their own.
 */
export function MonitorChart({ experiment, metric, keys, window: wanted, stale, index = 0, width }: MonitorChartProps) {
  const window = useStaggered(wanted, index * FRAME_MS, sameWindow);
  const [from, to] = window;
  const plans = thresholdPlans(experiment, metric);
  const fixed: ChartThreshold[] = plans.flatMap(({ condition, label }) =>
    condition.kind === 'threshold' ? [{ value: condition.threshold, label }] : [],
  );
  const topThreshold = Math.max(0, ...fixed.map((t) => t.value));
  // Rounded, so the axis moves only when the data crosses a round value.
  const ceiling = useLiveMetrics((s) => {
    const moving = movingThresholds(experiment, metric, keys, Math.min(to, s.newestSampleAt ?? to));
    const top = Math.max(topThreshold, ...moving.map((t) => t.value));
    const max = Math.max(top, seriesMax([keys.target, keys.control, keys.service], metric, from, to));
    // Rounded (to the axis' step), so the frame redraws only when the data crosses a round value.
    const ceiling = valueAxis(max).ceiling;
    return METRIC_INFO[metric].unit === '%' && max <= 100 ? Math.min(ceiling, 100) : ceiling;
  });
  const info = METRIC_INFO[metric];
  const labels = seriesLabels(experiment);
  const summary = [
    `${info.label} of ${labels.lines}`,
    ...plans.map((p) => `aborts when ${p.label}`),
  ].join('; ');

  return (
    <MetricChart
      title={info.label}
      unit={info.unit}
      domain={window}
      ceiling={ceiling}
      thresholds={fixed}
      markers={monitorMarkers(experiment)}
      stale={stale}
      summary={summary}
      reading={<MonitorReading metric={metric} keys={keys} labels={labels} />}
      width={width}
    >
      <MonitorLines experiment={experiment} metric={metric} keys={keys} window={window} labels={labels} />
    </MetricChart>
  );
}
