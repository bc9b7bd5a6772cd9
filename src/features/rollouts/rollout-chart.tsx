import { useMemo } from 'react';
import { useLiveMetrics } from '@/lib/live/live-metrics-store';
import { formatMetric } from '@/lib/format';
import { timeRange, type ChartMarker, type TimeAxis } from '@/components/chart/chart-types';
import { MetricChart } from '@/components/chart/metric-chart';
import { valueAxis } from '@/components/chart/time-ticks';
import { METRIC_INFO } from '@/domain/metrics';
import { ROLLOUT_MIN_EFFECT, type RolloutMetric } from '@/domain/rollouts';
import { RolloutLines, type SideLabels } from './rollout-lines';
import { newestValue, seriesMean, seriesPeak, type RolloutSeriesKeys } from './rollout-series';
import { THRESHOLD_BASIS_MS } from './rollout-lines';

interface RolloutChartProps {
  metric: RolloutMetric;
  keys: RolloutSeriesKeys;
  labels: SideLabels;
  window: TimeAxis;
  markers: ChartMarker[];
  stale: boolean;
  width?: number;
}

function Reading({ metric, keys, labels }: Pick<RolloutChartProps, 'metric' | 'keys' | 'labels'>) {
  const target = useLiveMetrics((s) =>
    s.revisions[keys.target] === undefined ? null : newestValue(keys.target, metric),
  );
  const control = useLiveMetrics((s) =>
    s.revisions[keys.control] === undefined ? null : newestValue(keys.control, metric),
  );
  return (
    <>
      <span className="font-semibold text-target">
        {labels.target} {formatMetric(metric, target)}
      </span>
      <span className="text-control">
        {labels.control} {formatMetric(metric, control)}
      </span>
    </>
  );
}

/** One metric the rollout is judged on: the new side against the old, and the regression line. */
export function RolloutChart({
  metric,
  keys,
  labels,
  window,
  markers,
  stale,
  width,
}: RolloutChartProps) {
  const info = METRIC_INFO[metric];
  const minEffect = ROLLOUT_MIN_EFFECT[metric];
  const effect = info.unit === '%' ? `${minEffect} points` : `${minEffect} ${info.unit}`;
  const thresholdLabel = `${labels.control} + ${effect}`;
  const ceiling = useLiveMetrics((s) => {
    const newest = s.newestSampleAt ?? 0;
    const [from, to] = timeRange(window, newest);
    const level = seriesMean(keys.control, metric, newest - THRESHOLD_BASIS_MS, newest) ?? 0;
    const max = Math.max(
      level + minEffect,
      seriesPeak([keys.target, keys.control], metric, from, to),
    );
    const rounded = valueAxis(max).ceiling;
    return info.unit === '%' && max <= 100 ? Math.min(rounded, 100) : rounded;
  });
  const summary =
    `${info.label} of the ${labels.target} against the ${labels.control}; a step fails when ` +
    `the ${labels.target} is higher by at least ${effect} with confidence (line: ${thresholdLabel})`;
  const reading = useMemo(
    () => <Reading metric={metric} keys={keys} labels={labels} />,
    [metric, keys, labels],
  );
  const lines = useMemo(
    () => (
      <RolloutLines
        metric={metric}
        keys={keys}
        labels={labels}
        window={window}
        minEffect={minEffect}
        thresholdLabel={thresholdLabel}
        markers={markers}
      />
    ),
    [metric, keys, labels, window, minEffect, thresholdLabel, markers],
  );
  return (
    <MetricChart
      title={info.label}
      unit={info.unit}
      time={window}
      ceiling={ceiling}
      thresholds={[]}
      stale={stale}
      summary={summary}
      reading={reading}
      width={width}
    >
      {lines}
    </MetricChart>
  );
}
