import { z } from 'zod';
import { abortConditionSchema, type AbortCondition } from './abort-conditions';
import { ATTACK_INFO, attackTypeSchema, magnitudeStepSchema, type AttackType } from './attacks';
import { blastRadiusSchema } from './blast-radius';
import { environmentSchema } from './environments';
import { hypothesisJudgementSchema } from './hypothesis';
import { experimentStateSchema } from './lifecycle';
import { formatDuration, stepAt, totalDurationSeconds } from './ramp';
import type { FieldIssue } from './validation';

export const MAX_STEPS = 20;
export const MAX_ABORT_CONDITIONS = 10;

const attackSchema = z.object({ type: attackTypeSchema });

const experimentFields = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'give the experiment a name')
    .max(120, 'a name is at most 120 characters'),
  hypothesis: z
    .string()
    .trim()
    .min(1, 'state the hypothesis: what you expect the system to do')
    .max(2000, 'a hypothesis is at most 2000 characters'),
  notes: z.string().max(5000, 'notes are at most 5000 characters').default(''),
  environment: environmentSchema,
  service: z.string().min(1, 'choose a service').max(64, 'a service name is at most 64 characters'),
  blastRadius: blastRadiusSchema,
  attack: attackSchema,
  steps: z
    .array(magnitudeStepSchema)
    .min(1, 'add at least one step')
    .max(MAX_STEPS, `at most ${MAX_STEPS} steps`),
  abortConditions: z
    .array(abortConditionSchema)
    .min(1, 'add at least one abort condition: an experiment must know when to stop')
    .max(MAX_ABORT_CONDITIONS, `at most ${MAX_ABORT_CONDITIONS} abort conditions`),
});

/** Checks every step's magnitude against its attack's range, naming the step at fault. */
function checkMagnitudes(
  spec: { attack: { type: AttackType }; steps: { magnitude?: number | undefined }[] },
  ctx: z.RefinementCtx,
) {
  const info = ATTACK_INFO[spec.attack.type].magnitude;
  spec.steps.forEach((step, index) => {
    const path = ['steps', index, 'magnitude'];
    if (!info) {
      if (step.magnitude !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path,
          message: `${ATTACK_INFO[spec.attack.type].label} has no magnitude`,
        });
      }
      return;
    }
    if (step.magnitude === undefined || !Number.isFinite(step.magnitude)) {
      ctx.addIssue({ code: 'custom', path, message: `magnitude is required (${info.unit})` });
    } else if (step.magnitude < info.min || step.magnitude > info.max) {
      ctx.addIssue({
        code: 'custom',
        path,
        message: `magnitude must be between ${info.min} and ${info.max} ${info.unit}`,
      });
    }
  });
}

/**
 * Conditions whose window is longer than the whole run: they are judged only while the run
 * lasts, so such a condition could never trip (the instance-shutdown template run for 10 s
 * with 30 s windows). One issue per window, on the window's field.
 */
export function windowsLongerThanRun(spec: {
  steps: readonly { durationSeconds: number }[];
  abortConditions: readonly { windowSeconds: number }[];
}): FieldIssue[] {
  const runSeconds = totalDurationSeconds(spec.steps);
  if (!Number.isFinite(runSeconds) || runSeconds <= 0) return [];
  return spec.abortConditions.flatMap((condition, index) =>
    Number.isFinite(condition.windowSeconds) && condition.windowSeconds > runSeconds
      ? [
          {
            path: `abortConditions.${index}.windowSeconds`,
            message:
              `longer than the run (${formatDuration(runSeconds)}): this condition could never ` +
              `trip; make it at most ${runSeconds} s or the run longer`,
          },
        ]
      : [],
  );
}

/** What a person designs: everything but identity and lifecycle. */
export const experimentSpecSchema = experimentFields.superRefine(checkMagnitudes);
export type ExperimentSpec = z.infer<typeof experimentSpecSchema>;
export type ExperimentSpecInput = z.input<typeof experimentSpecSchema>;

/**
 * What creating an experiment takes: a spec, and optionally the lineage it continues (the
 * same experiment carried to another environment keeps its lineage, so results line up).
 */
export const newExperimentSchema = experimentFields
  .extend({
    lineageId: z
      .string()
      .min(1, 'lineageId names an existing experiment lineage')
      .max(100, 'a lineageId is at most 100 characters')
      .optional(),
  })
  .superRefine(checkMagnitudes);
export type NewExperimentInput = z.input<typeof newExperimentSchema>;

const abortOutcomeSchema = z.object({
  kind: z.literal('aborted'),
  at: z.number(),
  conditionIndex: z.number().int(),
  condition: abortConditionSchema,
  /** "5xx rate > 1 % for 10 s" */
  description: z.string(),
  /** The value judged when it tripped (the rise, for a rising condition). */
  value: z.number(),
  /** The metric's own latest value. */
  latest: z.number(),
  /**
   * Set when the run was aborted because its conditions could not be evaluated (the metrics
   * source was down, slow or had no data) for longer than the grace: `value` and `latest` are
   * then the last values read before, and `description` starts with "no metrics".
   */
  noMetrics: z.object({ since: z.number(), reason: z.string().max(500) }).optional(),
});

const outcomeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('completed'), at: z.number() }),
  abortOutcomeSchema,
  z.object({
    kind: z.literal('halted'),
    at: z.number(),
    by: z.string(),
    haltAll: z.boolean(),
    /** Why, when the halt came from elsewhere (a rollout that failed its analysis). */
    reason: z.string().optional(),
  }),
  z.object({ kind: z.literal('interrupted'), at: z.number(), reason: z.string() }),
]);
export type Outcome = z.infer<typeof outcomeSchema>;
export type AbortOutcome = z.infer<typeof abortOutcomeSchema>;

const runSchema = z.object({
  startedAt: z.number(),
  startedBy: z.string(),
  /** The blast radius resolved to explicit instance ids at launch. */
  targets: z.array(z.string()),
  /** Instances that matched when it was resolved (for "3 of 12"). */
  matchingCount: z.number().int(),
  stepIndex: z.number().int(),
  endedAt: z.number().nullable(),
  outcome: outcomeSchema.nullable(),
  /** The statistical judge's verdict on the hypothesis, target against control, once it ended. */
  verdict: hypothesisJudgementSchema.nullable().optional(),
});

export const experimentSchema = experimentFields.extend({
  id: z.string(),
  /** Shared by the copies of one experiment carried across environments. */
  lineageId: z.string(),
  state: experimentStateSchema,
  version: z.number().int(),
  createdAt: z.number(),
  updatedAt: z.number(),
  createdBy: z.string(),
  run: runSchema.nullable(),
});
export type Experiment = z.infer<typeof experimentSchema>;

export function specOf(experiment: Experiment): ExperimentSpec {
  const {
    name,
    hypothesis,
    notes,
    environment,
    service,
    blastRadius,
    attack,
    steps,
    abortConditions,
  } = experiment;
  return {
    name,
    hypothesis,
    notes,
    environment,
    service,
    blastRadius,
    attack,
    steps,
    abortConditions,
  };
}

/** One fault in force on one instance. */
export interface Injection {
  experimentId: string;
  instanceId: string;
  attack: AttackType;
  magnitude: number | undefined;
}

/**
 * The injections an experiment holds at `now` (epoch ms): only a running experiment within
 * its ramp holds any. Everything that applies faults derives them from here, so an experiment
 * that is no longer running cannot leave one behind.
 */
export function activeInjections(experiment: Experiment, now: number): Injection[] {
  if (experiment.state !== 'running' || !experiment.run) return [];
  const step = stepAt(experiment.steps, (now - experiment.run.startedAt) / 1000);
  if (!step) return [];
  return experiment.run.targets.map((instanceId) => ({
    experimentId: experiment.id,
    instanceId,
    attack: experiment.attack.type,
    magnitude: step.magnitude,
  }));
}

export function conditionsOn(
  experiment: Pick<Experiment, 'abortConditions'>,
  metric: AbortCondition['metric'],
): AbortCondition[] {
  return experiment.abortConditions.filter((c) => c.metric === metric);
}
