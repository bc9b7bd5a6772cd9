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
export type OfrepErrorCode = keyof typeof OFREP_ERROR_STATUS;

export const ofrepContextSchema = jsonObjectSchema;

export const ofrepSuccessSchema = z.object({
  key: z.string(),
  /** Absent: no variant applies and the flag has no default variant; the caller's default holds. */
  value: jsonValueSchema.optional(),
  reason: z.string(),
  variant: z.string().optional(),
  metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});
export type OfrepSuccess = z.infer<typeof ofrepSuccessSchema>;

export const ofrepFailureSchema = z.object({
  key: z.string(),
  errorCode: z.string(),
  errorDetails: z.string().optional(),
});
export type OfrepFailure = z.infer<typeof ofrepFailureSchema>;

export const ofrepBulkSchema = z.object({
  flags: z.array(z.union([ofrepSuccessSchema, ofrepFailureSchema])),
});
export type OfrepBulk = z.infer<typeof ofrepBulkSchema>;

export const ofrepBulkFailureSchema = z.object({
  errorCode: z.string(),
  errorDetails: z.string().optional(),
});
