import {
  describeCondition,
  hypothesisMetrics,
  initialConditionState,
  judgeHypothesis,
  stepCondition,
  transition,
  type AbortOutcome,
  type ConditionState,
  type Experiment,
  type HypothesisJudgement,
  type Metric,
  type MetricSample,
  type Outcome,
} from '../../src/domain';
import type { ExperimentGroups, MetricsGap, MetricsReading } from '../backends/seams';

/** An experiment that ended: its new state, the outcome and the end time, with the version moved on. */
export function finish(
  experiment: Experiment,
  to: Outcome['kind'],
  outcome: Outcome,
  now: number,
  verdict: HypothesisJudgement | null = null,
): Experiment {
  const state = transition(experiment.state, to);
  if (!experiment.run)
    throw new Error(`experiment ${experiment.id} is ${experiment.state} without a run`);
  return {
    ...experiment,
    state,
    version: experiment.version + 1,
    updatedAt: now,
    run: { ...experiment.run, endedAt: now, outcome, verdict },
  };
}

/** Values recorded in an outcome, without floating-point dust (11.119000000000002). */
const round = (value: number) => Math.round(value * 1e6) / 1e6;

/** What the engine remembers about a running experiment between ticks. */
export interface RunState {
  experiment: Experiment;
  /** One per abort condition, in the experiment's order. */
  conditions: ConditionState[];
  /** What the metrics source is asked to measure for it. */
  groups: ExperimentGroups;
  /** Since when (epoch ms) some condition could not be evaluated; null while all can. */
  unreadSince: number | null;
  /** Why, in words, as the metrics source said it. */
  unreadReason: string;
  /** The newest value read per metric, for the record of a "no metrics" abort. */
  lastValues: Partial<Record<Metric, number>>;
  /** Set once a held run has been warned about, so the warning is not repeated every beat. */
  warned: boolean;
  /** Target and control values of the hypothesis's metrics, one per tick, bounded. */
  observed: Map<Metric, { target: number[]; control: number[] }>;
  /** Target and control requests in each of those ticks, in step with the values. */
  observedRequests: { target: number[]; control: number[] };
}

/** The most values per metric and side a run keeps for its verdict (a day-long run is bounded). */
const MAX_OBSERVED = 10_000;

function pushBounded(values: number[], value: number) {
  values.push(value);
  if (values.length > MAX_OBSERVED) values.shift();
}

/** Adds one reading's target and control values of the hypothesis's metrics to the run. */
export function observe(run: RunState, samples: readonly MetricSample[], tickMs: number): void {
  const id = run.experiment.id;
  const target = samples.find((s) => s.experimentId === id && s.group === 'target');
  const control = samples.find((s) => s.experimentId === id && s.group === 'control');
  if (!target || !control) return;
  for (const metric of hypothesisMetrics(run.experiment.abortConditions)) {
    const values = run.observed.get(metric) ?? { target: [], control: [] };
    pushBounded(values.target, target.values[metric]);
    pushBounded(values.control, control.values[metric]);
    run.observed.set(metric, values);
  }
  pushBounded(run.observedRequests.target, (target.values.request_rate * tickMs) / 1000);
  pushBounded(run.observedRequests.control, (control.values.request_rate * tickMs) / 1000);
}

/** The judge's verdict on the run's hypothesis from what it observed. */
export function verdictOf(run: RunState) {
  return judgeHypothesis(
    hypothesisMetrics(run.experiment.abortConditions).map((metric) => ({
      metric,
      target: {
        values: run.observed.get(metric)?.target ?? [],
        requests: run.observedRequests.target,
      },
      control: {
        values: run.observed.get(metric)?.control ?? [],
        requests: run.observedRequests.control,
      },
    })),
  );
}

export function groupsOf(experiment: Experiment): ExperimentGroups {
  const source = experiment.blastRadius.source;
  return {
    experimentId: experiment.id,
    service: experiment.service,
    environment: experiment.environment,
    targetIds: experiment.run?.targets ?? [],
    ...(source.kind === 'flag' ? { flagKey: source.flagKey } : {}),
  };
}

export function newRunState(experiment: Experiment): RunState {
  return {
    experiment,
    conditions: experiment.abortConditions.map(initialConditionState),
    groups: groupsOf(experiment),
    unreadSince: null,
    unreadReason: '',
    lastValues: {},
    warned: false,
    observed: new Map(),
    observedRequests: { target: [], control: [] },
  };
}

/** The reason a run ends when its conditions cannot be evaluated. */
export const NO_METRICS = 'no metrics';

/** The sample a condition is judged on: the experiment's target group, or the whole service. */
function sampleFor(
  experiment: Experiment,
  scope: 'target' | 'service',
  samples: readonly MetricSample[],
): MetricSample | undefined {
  return samples.find((s) =>
    scope === 'target'
      ? s.group === 'target' && s.experimentId === experiment.id
      : s.group === 'all' &&
        !s.cohort &&
        s.service === experiment.service &&
        s.environment === experiment.environment,
  );
}

/** The gap that stands for a condition's group, when the source could not read it. */
function gapFor(
  experiment: Experiment,
  scope: 'target' | 'service',
  gaps: readonly MetricsGap[],
): MetricsGap | undefined {
  return gaps.find((g) =>
    scope === 'target'
      ? g.group === 'target' && g.experimentId === experiment.id
      : g.group === 'all' &&
        g.service === experiment.service &&
        g.environment === experiment.environment,
  );
}

/**
 * Folds this evaluation's reading into every abort condition of a running experiment. Every
 * condition sees every sample (so windows stay right); the first that holds, in the
 * experiment's order, is the one reported. A condition whose metric the source could not read
 * marks the run unread from `now` (missing data is never healthy data); one the reading says
 * nothing about (the source had nothing new) leaves it as it was.
 */
export function judge(run: RunState, reading: MetricsReading, now: number): AbortOutcome | null {
  let tripped: AbortOutcome | null = null;
  let unread: string | null = null;
  let read = false;
  for (const [index, condition] of run.experiment.abortConditions.entries()) {
    const state = run.conditions[index];
    if (!state) continue;
    const sample = sampleFor(run.experiment, condition.scope, reading.samples);
    let point: { t: number; value: number } | undefined;
    if (sample) point = { t: sample.t, value: sample.values[condition.metric] };
    else {
      const gap = gapFor(run.experiment, condition.scope, reading.gaps);
      const partial = gap?.partial?.[condition.metric];
      if (gap && partial !== undefined && Number.isFinite(partial))
        point = { t: now, value: partial };
      else if (gap) unread ??= gap.reason;
    }
    if (!point || !Number.isFinite(point.value)) continue;
    read = true;
    run.lastValues[condition.metric] = point.value;
    const step = stepCondition(condition, state, point);
    run.conditions[index] = step.state;
    if (step.verdict.holds && !tripped) {
      tripped = {
        kind: 'aborted',
        at: point.t,
        conditionIndex: index,
        condition,
        description: describeCondition(condition),
        value: round(step.verdict.value),
        latest: round(step.verdict.latest),
      };
    }
  }
  if (unread !== null) {
    run.unreadSince ??= now;
    run.unreadReason = unread;
  } else if (read) {
    run.unreadSince = null;
    run.warned = false;
  }
  return tripped;
}

/** The outcome of a run aborted because its conditions could not be evaluated for `graceMs`. */
export function noMetricsOutcome(run: RunState, now: number): AbortOutcome {
  const since = run.unreadSince ?? now;
  const seconds = Math.round((now - since) / 100) / 10;
  const index = Math.max(
    0,
    run.experiment.abortConditions.findIndex((c) => run.lastValues[c.metric] === undefined),
  );
  const condition = run.experiment.abortConditions[index] ?? run.experiment.abortConditions[0];
  if (!condition) throw new Error(`experiment ${run.experiment.id} has no abort condition`);
  const last = run.lastValues[condition.metric] ?? 0;
  return {
    kind: 'aborted',
    at: now,
    conditionIndex: index,
    condition,
    description: `${NO_METRICS}: the abort conditions could not be evaluated for ${seconds} s (${run.unreadReason})`,
    value: round(last),
    latest: round(last),
    noMetrics: { since, reason: run.unreadReason.slice(0, 500) },
  };
}
