import { isBackendError } from '@/backend/errors';

/** How many times a failed read is tried again, when trying again may help. */
export const QUERY_RETRIES = 2;

/** A read is retried only when the backend says it was unavailable, never after a refusal. */
export function retryQuery(failures: number, error: unknown): boolean {
  return failures < QUERY_RETRIES && (!isBackendError(error) || error.retryable);
}
