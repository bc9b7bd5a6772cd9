import type { z } from 'zod';
import { fieldIssues } from '../src/domain';
import { validationFailed } from './errors';

/** Parses a request body (or query) with a domain schema; a failure is a 400 naming every field at fault. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) throw validationFailed(fieldIssues(parsed.error));
  return parsed.data;
}
