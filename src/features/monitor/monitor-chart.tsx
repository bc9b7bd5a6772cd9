import { MetricChart } from '@/components/chart/metric-chart';
import type { ChartThreshold } from '@/components/chart/chart-types';
import type { Experiment } from '@/domain/experiment';
import { METRIC_INFO, type Metric } from '@/domain/metrics';
import { formatMetric } from '@/lib/format';
import { monitorMarkers, thresholdPlans, type MonitorSeriesKeys } from './monitor-plan';
import { useSeriesPoints, valueAt } from './use-series-points';

export interface MonitorChartProps {
  experiment: Experiment;
  metric: Metric;
  keys: MonitorSeriesKeys;
  window: [number, number];
  /** Time of the newest sample (epoch ms): where "rises by" conditions are judged from. */
  newest: number;
  stale: boolean;
  width?: number;
}

const lastValue = (points: { value: number | null }[]) => {
  for (let i = points.length - 1; i >= 0; i--) {
    const value = points[i]?.value;
    if (value !== null && value !== undefined) return value;
  }
  return null;
};

/** One metric of the monitor: target against control and the whole service, with its thresholds. */
export function MonitorChart({ experiment, metric, keys, window, newest, stale, width }: MonitorChartProps) {
  const [from, to] = window;
  const target = useSeriesPoints(keys.target, metric, from, to);
  const control = useSeriesPoints(keys.control, metric, from, to);
  const service = useSeriesPoints(keys.service, metric, from, to);

  const thresholds: ChartThreshold[] = thresholdPlans(experiment, metric).flatMap(({ condition, label, series }) => {
    if (condition.kind === 'threshold') return [{ value: condition.threshold, label }];
    // A rising condition trips above where the series stood one window ago, plus the rise.
    // Before a run there is no target yet: the whole service previews where it would stand.
    const since = Math.min(to, newest) - condition.windowSeconds * 1000;
    const anchor = valueAt(keys[series], metric, since) ?? valueAt(keys.service, metric, since);
    return anchor === null ? [] : [{ value: anchor + condition.delta, label }];
  });

  const info = METRIC_INFO[metric];
  const summary = [
    `${info.label}: target ${formatMetric(metric, lastValue(target))}`,
    `control ${formatMetric(metric, lastValue(control))}`,
    `whole service ${formatMetric(metric, lastValue(service))}`,
    ...thresholds.map((t) => `aborts when ${t.label}`),
  ].join('; ');

  return (
    <MetricChart
      title={info.label}
      unit={info.unit}
      series={[
        { name: 'whole service', color: 'var(--fl-service)', points: service, secondary: true },
        { name: 'control', color: 'var(--fl-control)', points: control },
        { name: 'target', color: 'var(--fl-target)', points: target },
      ]}
      thresholds={thresholds}
      markers={monitorMarkers(experiment)}
      domain={window}
      stale={stale}
      summary={summary}
      width={width}
    />
  );
}
