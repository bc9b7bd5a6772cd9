import { z } from 'zod';
import { environmentSchema } from './environments';
import { experimentSchema, experimentSpecSchema, newExperimentSchema } from './experiment';
import { metricSampleSchema, metricsGapSchema } from './metrics';
import { userSchema } from './roles';

export { apiErrorSchema, type ApiErrorBody } from './api-error';

export const ERROR_CODES = {
  validation: 'validation_failed',
  unauthenticated: 'unauthenticated',
  forbidden: 'forbidden',
  notFound: 'not_found',
  conflict: 'version_conflict',
  /**
   * What the request would create clashes with what exists (409): a flag or segment key, an
   * agent's instance name already in the fleet. Not an edit race: trying again will not help.
   */
  alreadyExists: 'already_exists',
  refused: 'start_refused',
  invalidState: 'invalid_state',
  /** A stored record the server cannot read: it is skipped; delete it. */
  unreadableRecord: 'unreadable_record',
  /** A request body over the server's limit (413). */
  bodyTooLarge: 'body_too_large',
  /** Too many requests of one kind from one client (429); `Retry-After` says when to try again. */
  rateLimited: 'rate_limited',
  /** The metrics source (a Prometheus) cannot answer: the message says why, in words. */
  metricsUnavailable: 'metrics_unavailable',
  /** An abort condition of the experiment holds now, on the service's latest samples (503). */
  steadyStateBroken: 'steady_state_broken',
} as const;

/**
 * A stored record the server cannot read (written by an older version, or damaged): skipped
 * wherever it would be read, and listed so that someone can delete it.
 */
const skippedRecordSchema = z.object({
  /** What it is: `flag`, `segment`, `flag-history`, `experiment`, `gameday`, `incident`. */
  kind: z.string(),
  id: z.string(),
  /** The stored version, where the record has one (a delete names it). */
  version: z.number().int().optional(),
  /** Why it cannot be read: the first field at fault, or the parse error. */
  reason: z.string(),
});
export type SkippedRecord = z.infer<typeof skippedRecordSchema>;
export const skippedRecordListSchema = z.object({ records: z.array(skippedRecordSchema) });

export const sessionRequestSchema = z.object({
  user: z.string().min(1, 'choose a user').max(100, 'a user name is at most 100 characters'),
});
export const sessionResponseSchema = z.object({ token: z.string(), user: userSchema });
export type SessionResponse = z.infer<typeof sessionResponseSchema>;

export const authInfoSchema = z.object({
  demo: z.boolean(),
  /** Demo users to pick from; empty unless the server runs in demo mode. */
  users: z.array(userSchema),
});
export type AuthInfo = z.infer<typeof authInfoSchema>;

/** GET /api/v1/me: who the bearer token belongs to. */
export const meResponseSchema = z.object({ user: userSchema });

/** POST /api/v1/stream-ticket: a single-use ticket for the stream URL (EventSource sends no headers). */
export const streamTicketResponseSchema = z.object({
  ticket: z.string().min(1),
  expiresAt: z.number().int(),
});

export const createExperimentSchema = newExperimentSchema;
/** An edit names the version it was made from; a stale one is refused with 409. */
export const updateExperimentSchema = z.object({
  version: z.number().int(),
  spec: experimentSpecSchema,
});

export const startExperimentSchema = z.object({
  version: z.number().int(),
  /** Production needs the environment typed again: a second, explicit confirmation. */
  confirmEnvironment: environmentSchema.optional(),
});

export const haltAllRequestSchema = z.object({
  environment: environmentSchema.optional(),
  service: z.string().min(1).max(64, 'a service name is at most 64 characters').optional(),
  /** Also turn off the flags the halted experiments inherited their blast radius from. */
  killFlags: z.boolean().default(false),
});
export type HaltAllRequest = z.input<typeof haltAllRequestSchema>;

/**
 * GET /api/v1/experiments/:id/steady-state answered 200: none of the experiment's abort
 * conditions holds on the service's latest window. A broken steady state, or one that cannot be
 * read, is a 503 error, so that a plain HTTP status check (a Chaos Mesh StatusCheck) can act on it.
 */
export const steadyStateAnswerSchema = z.object({
  holds: z.literal(true),
  /** epoch ms of the check */
  checkedAt: z.number(),
  /** How many samples of the whole service the conditions were judged on. */
  samples: z.number().int().nonnegative(),
});
export type SteadyStateAnswer = z.infer<typeof steadyStateAnswerSchema>;

export const haltAllResponseSchema = z.object({
  halted: z.array(z.string()),
  flagsKilled: z.array(z.string()).default([]),
});
export type HaltAllResponse = z.infer<typeof haltAllResponseSchema>;

export const experimentListSchema = z.object({ experiments: z.array(experimentSchema) });

export const metricHistorySchema = z.object({ samples: z.array(metricSampleSchema) });

const EXPERIMENT_CHANGES = [
  'created',
  'updated',
  'deleted',
  'started',
  'stepped',
  'completed',
  'aborted',
  'halted',
  'interrupted',
] as const;

/** What the live stream carries. Every event has a numeric id (the SSE `id:`), in order. */
export const streamEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('metrics'),
    t: z.number(),
    samples: z.array(metricSampleSchema),
    /** Series the metrics source could not read in this evaluation: shown as stale, never as healthy. */
    gaps: z.array(metricsGapSchema).optional(),
  }),
  z.object({
    type: z.literal('experiment'),
    change: z.enum(EXPERIMENT_CHANGES),
    experiment: experimentSchema,
    by: z.string().optional(),
  }),
  z.object({
    type: z.literal('halt-all'),
    by: z.string(),
    halted: z.array(z.string()),
    environment: environmentSchema.optional(),
    service: z.string().optional(),
    /** Flags turned off with it (`killFlags`). */
    flagsKilled: z.array(z.string()).optional(),
  }),
  z.object({
    type: z.literal('resource'),
    /** Which family changed (flags, gamedays, incidents, …): the client invalidates it. */
    resource: z.string(),
    id: z.string().optional(),
    change: z.string(),
  }),
]);
export type StreamEvent = z.infer<typeof streamEventSchema>;
