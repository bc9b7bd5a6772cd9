import { describeCondition, type AbortCondition } from '@/domain/abort-conditions';
import { formatMagnitude } from '@/domain/attacks';
import { conditionsOn, type Experiment } from '@/domain/experiment';
import { METRIC_INFO, seriesKey, type Metric } from '@/domain/metrics';
import { rampSchedule } from '@/domain/ramp';
import type { ChartMarker } from '@/components/chart/chart-types';

/** The five every experiment is watched on; a sixth follows what the experiment touches. */
const BASE_METRICS: Metric[] = ['cpu', 'error_rate', 'http_4xx_rate', 'http_5xx_rate', 'latency_p99'];

export function monitorMetrics(experiment: Pick<Experiment, 'abortConditions' | 'attack'>): Metric[] {
  const extra = new Set<Metric>();
  if (experiment.attack.type === 'memory') extra.add('memory');
  for (const condition of experiment.abortConditions) {
    if (!BASE_METRICS.includes(condition.metric)) extra.add(condition.metric);
  }
  if (extra.size === 0) extra.add('request_rate');
  return [...BASE_METRICS, ...extra];
}

export interface MonitorSeriesKeys {
  target: string;
  control: string;
  service: string;
}

/** Target and control are split per experiment; "service" is the whole service. */
export function monitorSeriesKeys(experiment: Pick<Experiment, 'id' | 'service' | 'environment'>): MonitorSeriesKeys {
  const { id, service, environment } = experiment;
  return {
    target: seriesKey({ service, environment, group: 'target', experimentId: id }),
    control: seriesKey({ service, environment, group: 'control', experimentId: id }),
    service: seriesKey({ service, environment, group: 'all' }),
  };
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/**
 * The time window of the charts (epoch ms): from a minute before the run to its end (plus a
 * minute), or up to the last ten minutes before a run. `newest` is the newest sample's time,
 * so a stale chart keeps its data in view instead of scrolling it away; `oldest` is the
 * oldest sample held, so a short history fills the width.
 */
export function monitorWindow(experiment: Pick<Experiment, 'run'>, newest: number, oldest: number = newest): [number, number] {
  const run = experiment.run;
  if (!run) return [Math.min(Math.max(newest - 10 * MINUTE_MS, oldest), newest - MINUTE_MS), newest];
  const to = run.endedAt === null ? newest : Math.min(Math.max(newest, run.startedAt), run.endedAt + MINUTE_MS);
  return [Math.max(run.startedAt - MINUTE_MS, to - HOUR_MS), Math.max(to, run.startedAt + MINUTE_MS)];
}

/** Where the ramp started, stepped, and stopped. */
export function monitorMarkers(experiment: Pick<Experiment, 'run' | 'steps' | 'attack'>): ChartMarker[] {
  const run = experiment.run;
  if (!run) return [];
  const end = run.endedAt ?? Number.POSITIVE_INFINITY;
  const markers: ChartMarker[] = rampSchedule(experiment.steps)
    .map((step) => ({ t: run.startedAt + step.startsAtSeconds * 1000, step }))
    .filter(({ t, step }) => step.index === 0 || t < end)
    .map(({ t, step }) => ({
      t,
      label: `${step.index === 0 ? 'start' : 'step'} ${formatMagnitude(experiment.attack.type, step.magnitude)}`,
      tone: 'step',
    }));
  if (run.endedAt !== null && run.outcome) {
    markers.push({ t: run.endedAt, label: run.outcome.kind, tone: run.outcome.kind === 'completed' ? 'step' : 'stop' });
  }
  return markers;
}

export interface ThresholdPlan {
  condition: AbortCondition;
  label: string;
  /** Which series the condition is judged on. */
  series: keyof MonitorSeriesKeys;
}

export function thresholdPlans(experiment: Pick<Experiment, 'abortConditions'>, metric: Metric): ThresholdPlan[] {
  return conditionsOn(experiment, metric).map((condition) => ({
    condition,
    label: describeCondition(condition),
    series: condition.scope === 'service' ? 'service' : 'target',
  }));
}

export const metricTitle = (metric: Metric): string => METRIC_INFO[metric].label;
