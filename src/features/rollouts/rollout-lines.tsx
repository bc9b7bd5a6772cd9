import { useLiveMetrics } from '@/lib/live/live-metrics-store';
import {
  timeRange,
  type ChartMarker,
  type ChartThreshold,
  type TimeAxis,
} from '@/components/chart/chart-types';
import { LiveLines } from '@/components/chart/live-lines';
import type { RolloutMetric } from '@/domain/rollouts';
import { seriesMean, useSidePoints, type RolloutSeriesKeys } from './rollout-series';

/** How far back the control's level is averaged for the moving threshold (ms). */
export const THRESHOLD_BASIS_MS = 30_000;

export interface SideLabels {
  target: string;
  control: string;
}

/**
 * Where the judge's smallest counted shift sits now: the control's recent level plus the
 * metric's minimum effect. A target line that stays above it is what a failed step looks like.
 */
function regressionLine(
  keys: RolloutSeriesKeys,
  metric: RolloutMetric,
  minEffect: number,
  label: string,
  now: number,
): ChartThreshold[] {
  const level = seriesMean(keys.control, metric, now - THRESHOLD_BASIS_MS, now);
  return level === null ? [] : [{ value: level + minEffect, label }];
}

interface RolloutLinesProps {
  metric: RolloutMetric;
  keys: RolloutSeriesKeys;
  labels: SideLabels;
  window: TimeAxis;
  minEffect: number;
  thresholdLabel: string;
  markers: ChartMarker[];
}

/** The live part of one rollout chart: the two sides and the regression line that moves with the control. */
export function RolloutLines({
  metric,
  keys,
  labels,
  window,
  minEffect,
  thresholdLabel,
  markers,
}: RolloutLinesProps) {
  const newest = useLiveMetrics((s) => s.newestSampleAt);
  const [from, to] = timeRange(window, newest ?? 0);
  const target = useSidePoints(keys.target, metric, from, to);
  const control = useSidePoints(keys.control, metric, from, to);
  const moving = regressionLine(
    keys,
    metric,
    minEffect,
    thresholdLabel,
    Math.min(to, newest ?? to),
  );
  return (
    <LiveLines
      series={[
        { name: labels.control, color: 'var(--fl-control)', points: control },
        { name: labels.target, color: 'var(--fl-target)', points: target },
      ]}
      movingThresholds={moving}
      markers={markers}
      originMs={window.kind === 'sliding' ? (newest ?? 0) : 0}
    />
  );
}
