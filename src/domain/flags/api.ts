import { z } from 'zod';
import { ERROR_CODES } from '../api';
import { environmentSchema } from '../environments';
import { flagSchema, flagSpecSchema } from './flag';
import { segmentSchema, segmentSpecSchema } from './segments';
import { boundedJsonSchema, JSON_DOCUMENT_LIMITS } from '../bounded-json';
export { flagdDocumentSchema } from './flagd-document';

export const FLAG_ERROR_CODES = {
  /** A flag or segment with that key already exists. */
  exists: ERROR_CODES.alreadyExists,
  /** A segment that flags still use cannot be deleted. */
  inUse: 'in_use',
} as const;

export const flagListSchema = z.object({ flags: z.array(flagSchema) });
export const createFlagSchema = flagSpecSchema;
/** An edit names the version it was made from; a stale one is refused with 409. */
export const updateFlagSchema = z.object({
  version: z.number({ error: 'version is required' }).int(),
  spec: flagSpecSchema,
});
/** Why a flag was switched, in the switcher's words: kept in the flag's history and the audit. */
const flagSwitchCommentSchema = z
  .string()
  .trim()
  .max(500, 'a comment is at most 500 characters')
  .optional();
/** Turning a flag off in one environment: the kill switch. Any signed-in user, no version needed. */
export const killFlagSchema = z.object({
  environment: environmentSchema,
  comment: flagSwitchCommentSchema,
});
export const enableFlagSchema = z.object({
  environment: environmentSchema,
  comment: flagSwitchCommentSchema,
});

export const segmentListSchema = z.object({ segments: z.array(segmentSchema) });
export const createSegmentSchema = segmentSpecSchema;
export const updateSegmentSchema = z.object({
  version: z.number({ error: 'version is required' }).int(),
  spec: segmentSpecSchema,
});

const FLAG_CHANGES = ['created', 'updated', 'killed', 'enabled', 'imported', 'deleted'] as const;
const flagChangeSchema = z.enum(FLAG_CHANGES);
export type FlagChange = z.infer<typeof flagChangeSchema>;

/** One entry of a flag's change history: who changed what, and the flag as it was after. */
export const flagHistoryEntrySchema = z.object({
  version: z.number().int(),
  at: z.number(),
  by: z.string(),
  change: flagChangeSchema,
  /** For a kill or an enable: the environment switched. */
  environment: environmentSchema.optional(),
  /** What changed, in words: "production: off", "rules in staging". */
  summary: z.string(),
  /** For a kill or an enable: why, as the person who switched it wrote it. */
  comment: z.string().optional(),
  flag: flagSchema.nullable(),
});
export type FlagHistoryEntry = z.infer<typeof flagHistoryEntrySchema>;
export const flagHistorySchema = z.object({ entries: z.array(flagHistoryEntrySchema) });

export const importFlagsSchema = z.object({
  environment: environmentSchema,
  /** A flagd flag-definition document. */
  document: boundedJsonSchema(JSON_DOCUMENT_LIMITS),
});
export const importFlagsResponseSchema = z.object({
  created: z.array(z.string()),
  updated: z.array(z.string()),
  segmentsCreated: z.array(z.string()),
  segmentsUpdated: z.array(z.string()),
});
export type ImportFlagsResponse = z.infer<typeof importFlagsResponseSchema>;

/**
 * The OFREP API keys, at most one per environment: the key an application sends chooses the
 * environment. The server keeps only a hash: a key is listed by its first characters (`hint`).
 */
const ofrepKeySchema = z.object({
  environment: environmentSchema,
  /** The key's first characters ("ff_prod_Ab3x"), to tell which key an application holds. */
  hint: z.string(),
  createdAt: z.number(),
});
export const ofrepKeyListSchema = z.object({ keys: z.array(ofrepKeySchema) });
export type OfrepKey = z.infer<typeof ofrepKeySchema>;
/** A key just made: the only answer that carries the key itself; it is never shown again. */
export const newOfrepKeySchema = ofrepKeySchema.extend({ key: z.string() });
export type NewOfrepKey = z.infer<typeof newOfrepKeySchema>;

/**
 * Where a flag's on-cohort is served for one service in one environment: the hosts reserved
 * for it and every instance on them (hosts and their containers). An experiment may inherit
 * this as its blast radius unless `refused` says why not.
 */
export const flagCohortInstancesSchema = z.object({
  flagKey: z.string(),
  service: z.string(),
  environment: environmentSchema,
  /** Why the cohort cannot be inherited here (the flag is off, does not list the service, serves nobody); null when it can. */
  refused: z.string().nullable(),
  /** Share of the service's requests that come from on-cohort users, 0–1. */
  onShare: z.number(),
  /** Simulated users in the on-cohort, and in all. */
  users: z.object({ on: z.number().int(), total: z.number().int() }),
  hostIds: z.array(z.string()),
  instanceIds: z.array(z.string()),
});
export type FlagCohortInstances = z.infer<typeof flagCohortInstancesSchema>;
export const flagCohortQuerySchema = z.object({
  service: z.string({ error: 'choose a service' }).min(1, 'choose a service'),
  environment: environmentSchema,
});
