import { z } from 'zod';

/**
 * Every error the API sends: `{ "error": { "code", "message", "details" } }`. A module of its
 * own so that a page reading errors (the public status page) loads no other schema with it.
 */
export const apiErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ApiErrorBody = z.infer<typeof apiErrorSchema>;
