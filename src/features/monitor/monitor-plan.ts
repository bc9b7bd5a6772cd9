import { describeCondition, type AbortCondition } from '@/domain/abort-conditions';
import { formatMagnitude } from '@/domain/attacks';
import { conditionsOn, type Experiment } from '@/domain/experiment';
import { METRIC_INFO, seriesKey, type Metric } from '@/domain/metrics';
import { rampSchedule, totalDurationSeconds } from '@/domain/ramp';
import type { ChartMarker, TimeAxis } from '@/components/chart/chart-types';

/** The five every experiment is watched on; a sixth follows what the experiment touches. */
const BASE_METRICS: Metric[] = [
  'cpu',
  'error_rate',
  'http_4xx_rate',
  'http_5xx_rate',
  'latency_p99',
];

export function monitorMetrics(
  experiment: Pick<Experiment, 'abortConditions' | 'attack'>,
): Metric[] {
  const extra = new Set<Metric>();
  if (experiment.attack.type === 'memory') extra.add('memory');
  for (const condition of experiment.abortConditions) {
    if (!BASE_METRICS.includes(condition.metric)) extra.add(condition.metric);
  }
  if (extra.size === 0) extra.add('request_rate');
  return [...BASE_METRICS, ...extra];
}

/** What the target and control lines are called: the two cohorts when the blast radius is a flag's. */
export interface SeriesLabels {
  target: string;
  control: string;
  /** Longer, for the legend. */
  targetMeaning: string;
  controlMeaning: string;
  /** The lines, in a sentence: "the target (the blast radius), the control (…) and the whole service". */
  lines: string;
}

export function seriesLabels(experiment: Pick<Experiment, 'blastRadius'>): SeriesLabels {
  const source = experiment.blastRadius.source;
  if (source.kind === 'flag') {
    return {
      target: 'flag on',
      control: 'flag off',
      targetMeaning: `users served flag ${source.flagKey}`,
      controlMeaning: 'everyone else',
      lines: `flag on (the users served flag ${source.flagKey}), flag off (everyone else) and the whole service`,
    };
  }
  return {
    target: 'target',
    control: 'control',
    targetMeaning: 'blast radius',
    controlMeaning: 'rest of the service',
    lines:
      'the target (the blast radius), the control (the rest of the service) and the whole service',
  };
}

export const DEFAULT_SERIES_LABELS: SeriesLabels = seriesLabels({
  blastRadius: { scope: 'containers', selector: {}, mode: 'all', source: { kind: 'selector' } },
});

export interface MonitorSeriesKeys {
  target: string;
  control: string;
  service: string;
}

/** Target and control are split per experiment; "service" is the whole service. */
export function monitorSeriesKeys(
  experiment: Pick<Experiment, 'id' | 'service' | 'environment'>,
): MonitorSeriesKeys {
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
 * The charts' time axis. It does not move with every sample:
 * - a run of up to an hour: from a minute before its start to half a minute after its
 *   planned end (a minute after its actual end, once it has ended): the whole ramp in view;
 * - a longer run: the last hour, relative to the newest sample (its last hour once ended);
 * - no run yet: the last ten minutes, relative to the newest sample.
 */
export function monitorWindow(experiment: Pick<Experiment, 'run' | 'steps'>): TimeAxis {
  const run = experiment.run;
  if (!run) return { kind: 'sliding', spanMs: 10 * MINUTE_MS };
  const end = run.endedAt ?? run.startedAt + totalDurationSeconds(experiment.steps) * 1000;
  const from = run.startedAt - MINUTE_MS;
  const to = end + (run.endedAt === null ? MINUTE_MS / 2 : MINUTE_MS);
  if (to - from <= HOUR_MS) return { kind: 'fixed', from, to };
  return run.endedAt === null
    ? { kind: 'sliding', spanMs: HOUR_MS }
    : { kind: 'fixed', from: to - HOUR_MS, to };
}

/** Where the ramp started, stepped, and stopped. */
export function monitorMarkers(
  experiment: Pick<Experiment, 'run' | 'steps' | 'attack'>,
): ChartMarker[] {
  const run = experiment.run;
  if (!run) return [];
  const end = run.endedAt ?? Number.POSITIVE_INFINITY;
  const markers: ChartMarker[] = rampSchedule(experiment.steps)
    .map((step) => ({ t: run.startedAt + step.startsAtSeconds * 1000, step }))
    .filter(({ t, step }) => step.index === 0 || t <= end)
    .map(({ t, step }) => ({
      t,
      label: `${step.index === 0 ? 'start' : 'step'} ${formatMagnitude(experiment.attack.type, step.magnitude)}`,
      tone: 'step',
    }));
  if (run.endedAt !== null && run.outcome) {
    markers.push({
      t: run.endedAt,
      label: run.outcome.kind,
      tone: run.outcome.kind === 'completed' ? 'step' : 'stop',
    });
  }
  return markers;
}

interface ThresholdPlan {
  condition: AbortCondition;
  label: string;
  /** Without the metric (the chart's title names it): "> 1 % for 10 s", "rises > 2 pts in 30 s". */
  shortLabel: string;
  /** Which series the condition is judged on. */
  series: keyof MonitorSeriesKeys;
}

function shortDescription(condition: AbortCondition): string {
  const unit = METRIC_INFO[condition.metric].unit;
  if (condition.kind === 'rising')
    return `rises > ${condition.delta} ${unit === '%' ? 'pts' : unit} in ${condition.windowSeconds} s`;
  const window = condition.windowSeconds > 0 ? ` for ${condition.windowSeconds} s` : '';
  return `${condition.comparator} ${condition.threshold} ${unit}${window}`;
}

export function thresholdPlans(
  experiment: Pick<Experiment, 'abortConditions'>,
  metric: Metric,
): ThresholdPlan[] {
  return conditionsOn(experiment, metric).map((condition) => ({
    condition,
    label: describeCondition(condition),
    shortLabel: shortDescription(condition),
    series: condition.scope === 'service' ? 'service' : 'target',
  }));
}
