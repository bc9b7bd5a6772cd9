import { z } from 'zod';

export const PARTICIPANT_ROLES = ['coordinator', 'operator', 'observer', 'scribe'] as const;
const participantRoleSchema = z.enum(PARTICIPANT_ROLES);
export type ParticipantRole = z.infer<typeof participantRoleSchema>;

const MAX_PARTICIPANTS = 50;
const MAX_GAMEDAY_EXPERIMENTS = 20;
const MAX_RUNBOOK_STEPS = 100;
const MAX_FOLLOW_UPS = 50;
/** Longest game day window, in ms (7 days). */
const MAX_GAMEDAY_WINDOW_MS = 7 * 24 * 3_600_000;

const text = (what: string, max: number) =>
  z
    .string()
    .trim()
    .min(1, `${what} cannot be empty`)
    .max(max, `${what} is at most ${max} characters`);

const participantSchema = z.object({
  name: text('a participant name', 80),
  role: participantRoleSchema,
});

/** A runbook step as planned: an id is kept across edits so its tick survives. */
const runbookStepSpecSchema = z.object({
  id: z.string().min(1).max(64).optional(),
  text: text('a runbook step', 500),
  /** The experiment this step is about ("start CPU 50 % on checkout/staging"). */
  experimentId: z.string().min(1).max(100).nullable().default(null),
});

const runbookStepSchema = z.object({
  id: z.string(),
  text: z.string(),
  experimentId: z.string().nullable(),
  /** Who ticked it, and when (epoch ms); both null while it is open. */
  tickedBy: z.string().nullable(),
  tickedAt: z.number().nullable(),
});
export type RunbookStep = z.infer<typeof runbookStepSchema>;

const noDuplicates =
  <T>(key: (item: T) => string, what: string) =>
  (items: T[], ctx: z.RefinementCtx) => {
    const seen = new Set<string>();
    items.forEach((item, index) => {
      const k = key(item);
      if (seen.has(k))
        ctx.addIssue({ code: 'custom', path: [index], message: `${what} "${k}" is listed twice` });
      seen.add(k);
    });
  };

/** What a person plans: everything but identity, ticks, notes and findings. */
export const gamedaySpecSchema = z
  .object({
    title: text('the title', 120),
    description: z.string().max(5000, 'the description is at most 5000 characters').default(''),
    /** epoch ms */
    startsAt: z.number({ error: 'choose when the game day starts' }).int().nonnegative(),
    /** epoch ms */
    endsAt: z.number({ error: 'choose when the game day ends' }).int().nonnegative(),
    participants: z
      .array(participantSchema)
      .max(MAX_PARTICIPANTS, `at most ${MAX_PARTICIPANTS} participants`)
      .superRefine(noDuplicates((p) => p.name, 'participant'))
      .default([]),
    /** The experiments it will run, in this order. */
    experimentIds: z
      .array(z.string().min(1).max(100, 'an experiment id is at most 100 characters'))
      .max(MAX_GAMEDAY_EXPERIMENTS, `at most ${MAX_GAMEDAY_EXPERIMENTS} experiments`)
      .superRefine(noDuplicates((id) => id, 'experiment'))
      .default([]),
    runbook: z
      .array(runbookStepSpecSchema)
      .max(MAX_RUNBOOK_STEPS, `at most ${MAX_RUNBOOK_STEPS} runbook steps`)
      .default([]),
  })
  .superRefine((spec, ctx) => {
    if (spec.endsAt <= spec.startsAt) {
      ctx.addIssue({
        code: 'custom',
        path: ['endsAt'],
        message: 'the end must be after the start',
      });
    } else if (spec.endsAt - spec.startsAt > MAX_GAMEDAY_WINDOW_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['endsAt'],
        message: 'a game day lasts at most 7 days',
      });
    }
    spec.runbook.forEach((step, index) => {
      if (step.experimentId && !spec.experimentIds.includes(step.experimentId)) {
        ctx.addIssue({
          code: 'custom',
          path: ['runbook', index, 'experimentId'],
          message: 'a step can only name an experiment of this game day',
        });
      }
    });
  });
export type GamedaySpec = z.infer<typeof gamedaySpecSchema>;
export type GamedaySpecInput = z.input<typeof gamedaySpecSchema>;

const followUpSchema = z.object({
  action: text('a follow-up action', 500),
  owner: text('the owner of a follow-up', 80),
  done: z.boolean().default(false),
});
export type FollowUp = z.infer<typeof followUpSchema>;

const findingsSchema = z.object({
  broke: z.string().max(10_000, 'what broke is at most 10000 characters').default(''),
  surprised: z.string().max(10_000, 'what surprised is at most 10000 characters').default(''),
  followUps: z
    .array(followUpSchema)
    .max(MAX_FOLLOW_UPS, `at most ${MAX_FOLLOW_UPS} follow-up actions`)
    .default([]),
});

export const HYPOTHESIS_VERDICTS = ['confirmed', 'refuted', 'inconclusive'] as const;
const hypothesisVerdictSchema = z.enum(HYPOTHESIS_VERDICTS);
export type HypothesisVerdict = z.infer<typeof hypothesisVerdictSchema>;

const hypothesisOutcomeSchema = z.object({
  experimentId: z.string().min(1).max(100),
  verdict: hypothesisVerdictSchema,
  comment: z.string().max(2000, 'a comment is at most 2000 characters').default(''),
});
export type HypothesisOutcome = z.infer<typeof hypothesisOutcomeSchema>;

export const gamedaySchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  startsAt: z.number(),
  endsAt: z.number(),
  participants: z.array(participantSchema),
  experimentIds: z.array(z.string()),
  runbook: z.array(runbookStepSchema),
  findings: findingsSchema,
  hypothesisOutcomes: z.array(hypothesisOutcomeSchema),
  version: z.number().int(),
  createdAt: z.number(),
  updatedAt: z.number(),
  createdBy: z.string(),
});
export type Gameday = z.infer<typeof gamedaySchema>;

export const createGamedaySchema = gamedaySpecSchema;
/** An edit names the version it was made from; a stale one is refused with 409. */
export const updateGamedaySchema = z.object({ version: z.number().int(), spec: gamedaySpecSchema });
export const tickRunbookStepSchema = z.object({
  done: z.boolean({ error: 'say whether the step is done' }),
});
export const addNoteSchema = z.object({ text: text('a note', 5000) });

export const writeFindingsSchema = z.object({
  version: z.number().int(),
  findings: findingsSchema,
  hypothesisOutcomes: z
    .array(hypothesisOutcomeSchema)
    .superRefine(noDuplicates((o) => o.experimentId, 'experiment'))
    .default([]),
});
export type WriteFindings = z.input<typeof writeFindingsSchema>;

export const gamedayListSchema = z.object({ gamedays: z.array(gamedaySchema) });

type GamedayPhase = 'scheduled' | 'in-progress' | 'finished';

/** Where a game day stands at `now` (epoch ms): its window is [startsAt, endsAt). */
export function gamedayPhase(
  gameday: Pick<Gameday, 'startsAt' | 'endsAt'>,
  now: number,
): GamedayPhase {
  if (now < gameday.startsAt) return 'scheduled';
  return now < gameday.endsAt ? 'in-progress' : 'finished';
}

export function isInWindow(gameday: Pick<Gameday, 'startsAt' | 'endsAt'>, at: number): boolean {
  return gamedayPhase(gameday, at) === 'in-progress';
}

/**
 * The runbook after an edit: steps keep their tick when their id survives; new steps get
 * ids from `newId` and start open. A step whose text changed keeps its tick too: the
 * person edited wording, not what was done.
 */
export function applyRunbookEdit(
  previous: readonly RunbookStep[],
  planned: GamedaySpec['runbook'],
  newId: () => string,
): RunbookStep[] {
  const byId = new Map(previous.map((step) => [step.id, step]));
  const used = new Set<string>();
  return planned.map((step) => {
    const kept = step.id && !used.has(step.id) ? byId.get(step.id) : undefined;
    const id = kept ? kept.id : newId();
    used.add(id);
    return {
      id,
      text: step.text,
      experimentId: step.experimentId,
      tickedBy: kept?.tickedBy ?? null,
      tickedAt: kept?.tickedAt ?? null,
    };
  });
}

/** Ticks (or clears) one step, recording who and when. Unknown ids leave the runbook as it was. */
export function tickStep(
  runbook: readonly RunbookStep[],
  stepId: string,
  done: boolean,
  by: string,
  at: number,
): RunbookStep[] {
  return runbook.map((step) => {
    if (step.id !== stepId) return step;
    return done
      ? { ...step, tickedBy: by, tickedAt: at }
      : { ...step, tickedBy: null, tickedAt: null };
  });
}

/** Hypothesis outcomes only for experiments the game day still lists, in its order. */
export function keepOutcomesFor(
  experimentIds: readonly string[],
  outcomes: readonly HypothesisOutcome[],
): HypothesisOutcome[] {
  return experimentIds.flatMap((id) => outcomes.filter((o) => o.experimentId === id));
}
