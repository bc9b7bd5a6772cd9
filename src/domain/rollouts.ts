import { z } from 'zod';
import { environmentSchema } from './environments';
import { variantNameSchema } from './flags/flag';
import { judgeVerdictSchema, sampleRatioCheckSchema, type JudgeSettings } from './judge';
import { METRIC_INFO, type Metric } from './metrics';
import type { FieldIssue } from './validation';

export const MAX_ROLLOUT_STEPS = 10;

/** What a rollout's analysis may compare between canary and stable (or flag on and off). */
export const ROLLOUT_METRICS = ['http_5xx_rate', 'error_rate', 'latency_p99', 'cpu'] as const;
export const rolloutMetricSchema = z.enum(ROLLOUT_METRICS);
export type RolloutMetric = z.infer<typeof rolloutMetricSchema>;

/**
 * Shifts smaller than this never fail a step, in the metric's unit (points for %, ms): a
 * canary on one host carries more load per container than stable at high weights, and a
 * difference that small is not a regression anyone would roll back for.
 */
export const ROLLOUT_MIN_EFFECT: Record<RolloutMetric, number> = {
  http_5xx_rate: 0.5,
  error_rate: 0.5,
  latency_p99: 50,
  cpu: 15,
};

const rolloutStepSchema = z.object({
  /** Share of traffic on the new version (or the flag's on variant), %. */
  weight: z
    .number({ error: 'weight must be a number' })
    .int('weight must be a whole number of %')
    .min(1, 'weight must be at least 1 %')
    .max(100, 'weight must be at most 100 %'),
  /**
   * How long the step runs before its analysis may promote it, in s. Null or left out, with no
   * `waitUntil` either: the step waits for a person to promote it.
   */
  waitSeconds: z
    .number({ error: 'wait must be a number of seconds' })
    .int('wait must be whole seconds')
    .min(0, 'wait cannot be negative')
    .max(86_400, 'wait must be at most a day (86 400 s)')
    .nullable()
    .default(null),
  /**
   * Instead of a wait: the time from which the step's analysis may promote it, as an ISO-8601
   * date-time with its offset ("2026-12-04T10:00:00+01:00"), kept as written. A time without an
   * offset would mean different instants to the person and the server, so it is refused.
   */
  waitUntil: z.iso
    .datetime({
      offset: true,
      error: (issue) =>
        issue.input === '' || issue.input === undefined
          ? 'choose the time the step may be promoted at'
          : 'give the time as an ISO-8601 date-time with its offset, like 2026-12-04T10:00:00+01:00',
    })
    .optional(),
});
type RolloutStep = z.infer<typeof rolloutStepSchema>;

/**
 * When a step that began at `startedAt` may be promoted by its analysis, epoch ms: after its wait,
 * or at its time. Null: only a person promotes it.
 */
export function stepPromotableAt(step: RolloutStep, startedAt: number): number | null {
  if (step.waitUntil !== undefined) return Date.parse(step.waitUntil);
  return step.waitSeconds === null ? null : startedAt + step.waitSeconds * 1000;
}

/**
 * Steps whose time has already passed at `now` (epoch ms): a new rollout's times must be ahead of
 * it. Kept out of the schema, which also reads rollouts stored long ago.
 */
export function pastStepTimes(
  steps: readonly { waitUntil?: string | undefined }[],
  now: number,
): FieldIssue[] {
  return steps.flatMap((step, index) => {
    const at = step.waitUntil === undefined ? Number.NaN : Date.parse(step.waitUntil);
    if (!(at <= now)) return [];
    return [
      {
        path: `steps.${index}.waitUntil`,
        message: `choose a time in the future (it is ${new Date(now).toISOString()} now)`,
      },
    ];
  });
}

const rolloutAnalysisSchema = z.object({
  metrics: z
    .array(rolloutMetricSchema)
    .min(1, 'choose at least one metric to judge each step on')
    .max(ROLLOUT_METRICS.length)
    .refine((m) => new Set(m).size === m.length, 'each metric once'),
  /** Samples (ticks) each side needs before the judge answers. */
  minSamples: z
    .number({ error: 'minimum samples must be a number' })
    .int('minimum samples must be a whole number')
    .min(5, 'at least 5 samples each side')
    .max(10_000, 'at most 10 000 samples'),
  confidence: z.number().min(0.8, 'confidence at least 0.8').max(0.999, 'confidence at most 0.999'),
  /** Kayenta's tolerance: a fraction of the estimated shift the interval must clear. */
  tolerance: z.number().min(0).max(1),
});
type RolloutAnalysisSpec = z.infer<typeof rolloutAnalysisSchema>;

export const DEFAULT_ROLLOUT_ANALYSIS: RolloutAnalysisSpec = {
  metrics: ['http_5xx_rate', 'latency_p99'],
  minSamples: 20,
  confidence: 0.95,
  tolerance: 0.25,
};

/** A fault the new version (or the flag's new code path) carries in the simulation, so a rollback can be seen. */
const canaryDefectSchema = z.object({
  /** Extra requests answered 5xx by the canary, %. */
  fivexxPercent: z.number().min(0).max(100).default(0),
  /** Added to every canary request, ms. */
  addedLatencyMs: z.number().min(0).max(30_000).default(0),
});
export type CanaryDefect = z.infer<typeof canaryDefectSchema>;

const rolloutName = z
  .string()
  .trim()
  .min(1, 'give the rollout a name')
  .max(120, 'a name is at most 120 characters');

function checkSteps(spec: { steps: RolloutStep[] }, ctx: z.RefinementCtx) {
  let previousTime: string | null = null;
  spec.steps.forEach((step, index) => {
    const previous = spec.steps[index - 1];
    if (previous && step.weight <= previous.weight) {
      ctx.addIssue({
        code: 'custom',
        path: ['steps', index, 'weight'],
        message: `each step's weight must be above the one before (${previous.weight} %)`,
      });
    }
    if (step.waitUntil === undefined) return;
    if (step.waitSeconds !== null) {
      ctx.addIssue({
        code: 'custom',
        path: ['steps', index, 'waitUntil'],
        message: 'a step waits a number of seconds or until a time, not both',
      });
    }
    if (previousTime !== null && Date.parse(step.waitUntil) <= Date.parse(previousTime)) {
      ctx.addIssue({
        code: 'custom',
        path: ['steps', index, 'waitUntil'],
        message: `each step's time must be after the one before (${previousTime})`,
      });
    }
    previousTime = step.waitUntil;
  });
}

const stepsField = z
  .array(rolloutStepSchema)
  .min(1, 'add at least one step')
  .max(MAX_ROLLOUT_STEPS, `at most ${MAX_ROLLOUT_STEPS} steps`);

const canaryRolloutSpecSchema = z
  .object({
    kind: z.literal('canary'),
    name: rolloutName,
    service: z.string().min(1, 'choose a service'),
    environment: environmentSchema,
    newVersion: z
      .string()
      .trim()
      .min(1, 'name the new version')
      .max(40, 'a version is at most 40 characters')
      .regex(/^[\w.+-]+$/, 'a version is letters, digits and . _ + -'),
    steps: stepsField,
    analysis: rolloutAnalysisSchema,
    defect: canaryDefectSchema.optional(),
  })
  .superRefine(checkSteps);

const flagRolloutSpecSchema = z
  .object({
    kind: z.literal('flag'),
    name: rolloutName,
    flagKey: z.string().min(1, 'choose a flag'),
    /**
     * The variant rolled out: the rollout serves it to each step's share of the users that reach
     * the flag's last rule for everyone, and the flag's off variant to the rest. Left out: the
     * first variant other than the off variant (the server fills it in).
     */
    variant: variantNameSchema.optional(),
    service: z.string().min(1, 'choose a service'),
    environment: environmentSchema,
    steps: stepsField,
    analysis: rolloutAnalysisSchema,
    defect: canaryDefectSchema.optional(),
  })
  .superRefine(checkSteps);

export const rolloutSpecSchema = z.discriminatedUnion('kind', [
  canaryRolloutSpecSchema,
  flagRolloutSpecSchema,
]);
export type RolloutSpec = z.infer<typeof rolloutSpecSchema>;
export type FlagRolloutSpec = z.infer<typeof flagRolloutSpecSchema>;

const ROLLOUT_STATES = [
  'progressing',
  'paused',
  'held',
  'succeeded',
  'rolled-back',
  'aborted',
] as const;
const rolloutStateSchema = z.enum(ROLLOUT_STATES);
export type RolloutState = z.infer<typeof rolloutStateSchema>;
/** States a rollout still sends traffic to its new side in. */
export const ACTIVE_ROLLOUT_STATES: readonly RolloutState[] = ['progressing', 'paused', 'held'];

const metricJudgementSchema = z.object({
  metric: rolloutMetricSchema,
  verdict: judgeVerdictSchema,
  /** The verdict in words, as describeVerdict writes it. */
  text: z.string(),
});

/** One analysis of one step: every metric's verdict and what it decided. */
const rolloutAnalysisRecordSchema = z.object({
  t: z.number(),
  stepIndex: z.number().int(),
  weight: z.number(),
  /** A sample-ratio mismatch holds the rollout before any metric is trusted. */
  outcome: z.enum(['pass', 'fail', 'not-enough-data', 'sample-ratio-mismatch']),
  judgements: z.array(metricJudgementSchema),
  /** Flag rollouts: did the flag-on cohort get the share of users the rollout asked for? */
  sampleRatio: sampleRatioCheckSchema.optional(),
});
export type RolloutAnalysisRecord = z.infer<typeof rolloutAnalysisRecordSchema>;

export const MAX_ROLLOUT_ANALYSES = 100;
export const MAX_ROLLOUT_WEIGHTS = 200;

export const rolloutSchema = z.object({
  id: z.string(),
  spec: rolloutSpecSchema,
  state: rolloutStateSchema,
  /** Write version: every change adds one. */
  version: z.number().int(),
  createdAt: z.number(),
  createdBy: z.string(),
  updatedAt: z.number(),
  stepIndex: z.number().int(),
  /** Share of traffic on the new side now, %. */
  weight: z.number(),
  /** When the current step (or its latest restart) began, epoch ms. */
  stepStartedAt: z.number(),
  /** Why it is paused, held, rolled back or aborted, in words; null while all is well. */
  reason: z.string().nullable(),
  /** The weight over time, one point per change, for the step chart. */
  weights: z.array(z.object({ t: z.number(), weight: z.number() })).max(MAX_ROLLOUT_WEIGHTS),
  analyses: z.array(rolloutAnalysisRecordSchema).max(MAX_ROLLOUT_ANALYSES),
  /**
   * Flag rollouts: the share of users (0–1) the flag, as the rollout last set it, serves the
   * rolled-out variant (the users its earlier rules target plus the step's share of the rest):
   * what the sample-ratio check expects of the traffic. Null for canaries.
   */
  expectedShare: z.number().min(0).max(1).nullable().default(null),
});
export type Rollout = z.infer<typeof rolloutSchema>;

export const rolloutListSchema = z.object({ rollouts: z.array(rolloutSchema) });

export const ROLLOUT_CONTROLS = [
  'promote',
  'promote-full',
  'pause',
  'resume',
  'abort',
  'retry',
] as const;
export type RolloutControl = (typeof ROLLOUT_CONTROLS)[number];

export const rolloutControlBodySchema = z.object({
  reason: z.string().trim().max(500, 'a reason is at most 500 characters').optional(),
});

/** The states each control may be used in. */
export const CONTROL_FROM: Record<RolloutControl, readonly RolloutState[]> = {
  promote: ['progressing', 'paused', 'held'],
  'promote-full': ['progressing', 'paused', 'held'],
  pause: ['progressing', 'held'],
  resume: ['paused', 'held'],
  abort: ['progressing', 'paused', 'held'],
  retry: ['rolled-back', 'aborted'],
};

/** The judge's settings for one metric of a rollout. */
export function judgeSettingsFor(
  analysis: RolloutAnalysisSpec,
  metric: RolloutMetric,
): JudgeSettings {
  return {
    minSamples: analysis.minSamples,
    confidence: analysis.confidence,
    tolerance: analysis.tolerance,
    minEffect: ROLLOUT_MIN_EFFECT[metric],
    direction: 'increase',
  };
}

/** "canary" / "stable" for a canary, "flag on" / "flag off" for a flag rollout. */
export function rolloutSides(spec: RolloutSpec): { target: string; control: string } {
  return spec.kind === 'canary'
    ? { target: 'canary', control: 'stable' }
    : { target: 'flag on', control: 'flag off' };
}

/** "checkout 2.4.0 in staging" / "flag new-checkout in staging". */
export function rolloutSubject(spec: RolloutSpec): string {
  return spec.kind === 'canary'
    ? `${spec.service} ${spec.newVersion} in ${spec.environment}`
    : `flag ${spec.flagKey} on ${spec.service} in ${spec.environment}`;
}

export function metricLabel(metric: Metric): string {
  return METRIC_INFO[metric].label;
}
