import type { MetricSample, RolloutMetric, RolloutSpec } from '../../src/domain';

/** Per-metric values of the two sides during one step, bounded. */
export interface StepSamples {
  stepIndex: number;
  stepStartedAt: number;
  target: Map<RolloutMetric, number[]>;
  control: Map<RolloutMetric, number[]>;
  /** Each side's requests in each tick, in step with the values (a share is judged on them). */
  targetTickRequests: number[];
  controlTickRequests: number[];
  /** How many samples each side must have before the next look of the judge. */
  nextLook: number;
  /** Requests per second summed over the step's ticks on each side (the sample-ratio check's split). */
  targetRequests: number;
  controlRequests: number;
}

/** The most samples a step keeps per side and metric (a day-long step must not grow memory). */
const MAX_STEP_SAMPLES = 10_000;

export function emptyStepSamples(
  stepIndex: number,
  stepStartedAt: number,
  minSamples: number,
): StepSamples {
  return {
    stepIndex,
    stepStartedAt,
    target: new Map(),
    control: new Map(),
    targetTickRequests: [],
    controlTickRequests: [],
    nextLook: minSamples,
    targetRequests: 0,
    controlRequests: 0,
  };
}

/** This tick's samples of the rollout's two sides (canary/stable or flag on/off), if both are here. */
export function sidesOf(
  spec: RolloutSpec,
  samples: readonly MetricSample[],
): { target: MetricSample; control: MetricSample } | null {
  const mine = samples.filter(
    (s) => s.service === spec.service && s.environment === spec.environment && s.group === 'all',
  );
  const target =
    spec.kind === 'canary'
      ? mine.find((s) => s.version === 'canary')
      : mine.find((s) => s.cohort === 'on' && !s.version);
  const control =
    spec.kind === 'canary'
      ? mine.find((s) => s.version === 'stable')
      : mine.find((s) => s.cohort === 'off' && !s.version);
  return target && control ? { target, control } : null;
}

function pushBounded(values: number[], value: number) {
  values.push(value);
  if (values.length > MAX_STEP_SAMPLES) values.shift();
}

function push(into: Map<RolloutMetric, number[]>, metric: RolloutMetric, value: number) {
  const values = into.get(metric) ?? [];
  pushBounded(values, value);
  into.set(metric, values);
}

/**
 * Adds one tick to the step's samples. A side that served no requests adds nothing: no traffic
 * is no evidence, so a step without traffic holds rather than promotes.
 */
export function addTick(
  buffer: StepSamples,
  spec: RolloutSpec,
  sides: { target: MetricSample; control: MetricSample },
  tickMs: number,
): void {
  if (sides.target.values.request_rate <= 0 || sides.control.values.request_rate <= 0) return;
  buffer.targetRequests += sides.target.values.request_rate;
  buffer.controlRequests += sides.control.values.request_rate;
  pushBounded(buffer.targetTickRequests, (sides.target.values.request_rate * tickMs) / 1000);
  pushBounded(buffer.controlTickRequests, (sides.control.values.request_rate * tickMs) / 1000);
  for (const metric of spec.analysis.metrics) {
    push(buffer.target, metric, sides.target.values[metric]);
    push(buffer.control, metric, sides.control.values[metric]);
  }
}

/** One metric's values on both sides, each tick with its requests, for `judgeMetric`. */
export function metricTicks(buffer: StepSamples, metric: RolloutMetric) {
  return {
    target: { values: buffer.target.get(metric) ?? [], requests: buffer.targetTickRequests },
    control: { values: buffer.control.get(metric) ?? [], requests: buffer.controlTickRequests },
  };
}

/** The fewest samples any metric has on either side. */
export function sampleCount(buffer: StepSamples, spec: RolloutSpec): number {
  return Math.min(
    ...spec.analysis.metrics.flatMap((m) => [
      buffer.target.get(m)?.length ?? 0,
      buffer.control.get(m)?.length ?? 0,
    ]),
  );
}
