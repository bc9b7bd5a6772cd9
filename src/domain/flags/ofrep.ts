import { z } from 'zod';
import { jsonObjectSchema, jsonValueSchema } from './values';

/** OFREP error codes (OpenFeature's), with the HTTP status each is answered with. */
export const OFREP_ERROR_STATUS = {
  FLAG_NOT_FOUND: 404,
  PARSE_ERROR: 400,
  TARGETING_KEY_MISSING: 400,
  INVALID_CONTEXT: 400,
  TYPE_MISMATCH: 400,
  GENERAL: 500,
} as const;

/** The reasons OFREP's `evaluationSuccess` allows (its OpenAPI document, 0.3.0): no others. */
export const OFREP_REASONS = ['STATIC', 'TARGETING_MATCH', 'SPLIT', 'DISABLED', 'UNKNOWN'] as const;
type OfrepReason = (typeof OFREP_REASONS)[number];

/**
 * An evaluation's reason in OFREP's list. flagd answers `DEFAULT` when a flag's rules ran and
 * none applied (or when nothing at all applies and the caller's own default holds); OFREP has no
 * `DEFAULT`. When the flag has rules, the answer came from evaluating them against this context:
 * `TARGETING_MATCH` (another context may get another answer). Without rules it is the same for
 * everyone: `STATIC`. Never `STATIC` for a flag with rules, since caching providers keep a
 * `STATIC` answer for every context. Anything else outside the list is `UNKNOWN`.
 */
export function ofrepReasonOf(reason: string | undefined, hasRules: boolean): OfrepReason {
  if (reason === 'DEFAULT') return hasRules ? 'TARGETING_MATCH' : 'STATIC';
  return (OFREP_REASONS as readonly string[]).includes(reason ?? '')
    ? (reason as OfrepReason)
    : 'UNKNOWN';
}

/** An evaluation context: any JSON object (within the JSON limits), its targetingKey a string. */
const ofrepContextSchema = jsonObjectSchema.superRefine((context, ctx) => {
  const targetingKey: unknown =
    typeof context === 'object' && context !== null ? context.targetingKey : undefined;
  if (targetingKey !== undefined && typeof targetingKey !== 'string')
    ctx.addIssue({ code: 'custom', path: ['targetingKey'], message: 'must be a string' });
});

/** An OFREP evaluation request, single or bulk: `{ "context": { … } }`, the context required. */
export const ofrepEvaluationRequestSchema = z.object({ context: ofrepContextSchema });

const ofrepMetadataSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

/** OFREP's `evaluationSuccess`. */
export const ofrepSuccessSchema = z.object({
  key: z.string(),
  /** Absent: no variant applies and the flag has no default variant; the caller's default holds. */
  value: jsonValueSchema.optional(),
  reason: z.enum(OFREP_REASONS),
  variant: z.string().optional(),
  metadata: ofrepMetadataSchema.optional(),
});

/** OFREP's `evaluationFailure` and `flagNotFound`: one flag could not be evaluated. */
export const ofrepFailureSchema = z.object({
  key: z.string(),
  errorCode: z.string(),
  errorDetails: z.string().optional(),
  metadata: ofrepMetadataSchema.optional(),
});

/** OFREP's `bulkEvaluationFailure`: no flag was evaluated. */
export const ofrepBulkFailureSchema = z.object({
  errorCode: z.string(),
  errorDetails: z.string().optional(),
});

/** OFREP's `generalErrorResponse` (a missing or unknown API key, say). */
export const ofrepGeneralErrorSchema = z.object({ errorDetails: z.string().optional() });

/** Where a provider listens for "the flags changed, fetch them again" (OFREP's ADR-0008). */
const ofrepEventStreamSchema = z.object({
  type: z.literal('sse'),
  /** Path and query on the OFREP base URL's origin. */
  endpoint: z.object({ requestUri: z.string().startsWith('/') }),
  /** Seconds a hidden page keeps the connection open. */
  inactivityDelaySec: z.number().int().min(1).optional(),
});

export const ofrepBulkSchema = z.object({
  flags: z.array(z.union([ofrepSuccessSchema, ofrepFailureSchema])),
  /** The flag set's metadata. */
  metadata: ofrepMetadataSchema.optional(),
  eventStreams: z.array(ofrepEventStreamSchema).optional(),
});
export type OfrepBulk = z.infer<typeof ofrepBulkSchema>;

/** OFREP's `configurationResponse`: what the server supports, read by providers at start. */
export const ofrepConfigurationSchema = z.object({
  name: z.string().optional(),
  capabilities: z
    .object({
      cacheInvalidation: z
        .object({
          polling: z
            .object({
              enabled: z.boolean().optional(),
              /** The shortest polling interval the server accepts, in ms. */
              minPollingIntervalMs: z.number().int().min(0).optional(),
            })
            .optional(),
        })
        .optional(),
      flagEvaluation: z
        .object({
          supportedTypes: z
            .array(z.enum(['boolean', 'string', 'int', 'float', 'object']))
            .optional(),
        })
        .optional(),
    })
    .optional(),
});
export type OfrepConfiguration = z.infer<typeof ofrepConfigurationSchema>;

/** The data of an event on the OFREP event stream. */
export const ofrepStreamEventSchema = z.object({
  type: z.literal('refetchEvaluation'),
  /** The flag configuration's revision: sent back as `flagConfigEtag` on the re-fetch. */
  etag: z.string().optional(),
  /** When the configuration last changed, Unix time in s. */
  lastModified: z.number().int().min(0).optional(),
});
export type OfrepStreamEvent = z.infer<typeof ofrepStreamEventSchema>;
