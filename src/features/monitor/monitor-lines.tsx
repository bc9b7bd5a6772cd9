import { useLiveMetrics } from '@/backend/live-metrics-store';
import type { ChartThreshold } from '@/components/chart/chart-types';
import { LiveLines } from '@/components/chart/live-lines';
import type { Experiment } from '@/domain/experiment';
import type { Metric } from '@/domain/metrics';
import { thresholdPlans, type MonitorSeriesKeys } from './monitor-plan';
import { useSeriesPoints, valueAt } from './use-series-points';

export interface MonitorLinesProps {
  experiment: Pick<Experiment, 'abortConditions'>;
  metric: Metric;
  keys: MonitorSeriesKeys;
  window: [number, number];
}

/** The live part of one monitor chart: target, control and whole service, and "rises by" thresholds. */
export function MonitorLines({ experiment, metric, keys, window }: MonitorLinesProps) {
  const [from, to] = window;
  const target = useSeriesPoints(keys.target, metric, from, to);
  const control = useSeriesPoints(keys.control, metric, from, to);
  const service = useSeriesPoints(keys.service, metric, from, to);
  const newest = useLiveMetrics((s) => s.newestSampleAt ?? to);

  // A rising condition trips above where its series stood one window ago, plus the rise.
  // Before a run there is no target yet: the whole service previews where it would stand.
  const moving: ChartThreshold[] = thresholdPlans(experiment, metric).flatMap(({ condition, label, series }) => {
    if (condition.kind !== 'rising') return [];
    const since = Math.min(to, newest) - condition.windowSeconds * 1000;
    const anchor = valueAt(keys[series], metric, since) ?? valueAt(keys.service, metric, since);
    return anchor === null ? [] : [{ value: anchor + condition.delta, label }];
  });

  return (
    <LiveLines
      series={[
        { name: 'whole service', color: 'var(--fl-service)', points: service, secondary: true },
        { name: 'control', color: 'var(--fl-control)', points: control },
        { name: 'target', color: 'var(--fl-target)', points: target },
      ]}
      movingThresholds={moving}
    />
  );
}
