import {
  describeCondition,
  initialConditionState,
  stepCondition,
  transition,
  type AbortOutcome,
  type ConditionState,
  type Experiment,
  type MetricSample,
  type Outcome,
} from '../../src/domain';

/** An experiment that ended: its new state, the outcome and the end time, with the version moved on. */
export function finish(
  experiment: Experiment,
  to: Outcome['kind'],
  outcome: Outcome,
  now: number,
): Experiment {
  const state = transition(experiment.state, to);
  if (!experiment.run)
    throw new Error(`experiment ${experiment.id} is ${experiment.state} without a run`);
  return {
    ...experiment,
    state,
    version: experiment.version + 1,
    updatedAt: now,
    run: { ...experiment.run, endedAt: now, outcome },
  };
}

/** Values recorded in an outcome, without floating-point dust (11.119000000000002). */
const round = (value: number) => Math.round(value * 1e6) / 1e6;

/** What the engine remembers about a running experiment between ticks. */
export interface RunState {
  experiment: Experiment;
  /** One per abort condition, in the experiment's order. */
  conditions: ConditionState[];
}

export function newRunState(experiment: Experiment): RunState {
  return { experiment, conditions: experiment.abortConditions.map(initialConditionState) };
}

/** The sample a condition is judged on: the experiment's target group, or the whole service. */
export function sampleFor(
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

/**
 * Folds this tick's samples into every abort condition of a running experiment. Every condition
 * sees every sample (so windows stay right); the first that holds, in the experiment's order,
 * is the one reported.
 */
export function judge(run: RunState, samples: readonly MetricSample[]): AbortOutcome | null {
  let tripped: AbortOutcome | null = null;
  for (const [index, condition] of run.experiment.abortConditions.entries()) {
    const sample = sampleFor(run.experiment, condition.scope, samples);
    const state = run.conditions[index];
    if (!sample || !state) continue;
    const step = stepCondition(condition, state, {
      t: sample.t,
      value: sample.values[condition.metric],
    });
    run.conditions[index] = step.state;
    if (step.verdict.holds && !tripped) {
      tripped = {
        kind: 'aborted',
        at: sample.t,
        conditionIndex: index,
        condition,
        description: describeCondition(condition),
        value: round(step.verdict.value),
        latest: round(step.verdict.latest),
      };
    }
  }
  return tripped;
}
