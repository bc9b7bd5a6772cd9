import { describeIssues, type FieldIssue } from '@/domain/validation';

/** Codes the adapter adds to the API's own (docs/api.md) for failures before an answer. */
export const CLIENT_ERROR_CODES = {
  network: 'network_error',
  timeout: 'timeout',
  badResponse: 'invalid_response',
} as const;

/** Every failure the backend adapter reports: the API's error body, or why there was none. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** HTTP status; 0 when no answer arrived. */
    readonly status: number,
    readonly details: unknown = undefined,
    /** Which fields were at fault (400 validation_failed). */
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** True when trying the same request again may succeed. */
  get retryable(): boolean {
    return this.status === 0 || this.status === 408 || this.status === 429 || this.status >= 500;
  }

  /** `details.reason` of a refusal (422 start_refused), when the server gave one. */
  get reason(): string | null {
    const details = this.details;
    if (
      details &&
      typeof details === 'object' &&
      'reason' in details &&
      typeof details.reason === 'string'
    ) {
      return details.reason;
    }
    return null;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/** A sentence a person can act on, for any error a request can end with. */
export function describeError(error: unknown): string {
  if (!isApiError(error)) return error instanceof Error ? error.message : 'Something went wrong.';
  switch (error.code) {
    case CLIENT_ERROR_CODES.network:
      return 'Cannot reach the Faultline server. Check that it is running and that this machine is online, then try again.';
    case CLIENT_ERROR_CODES.timeout:
      return 'The Faultline server did not answer in time. Try again; if it keeps happening, check the server.';
    case CLIENT_ERROR_CODES.badResponse:
      return `The server answered in a shape this dashboard does not understand (${error.message}). Reload the page; if it persists, the dashboard and server versions differ.`;
    case 'unauthenticated':
      return 'Your session has ended. Sign in again.';
    case 'forbidden':
      return `Your role may not do this (${error.message}). Ask an SRE or an admin.`;
    case 'not_found':
      return 'Not found: it may have been deleted. Go back to the list.';
    case 'version_conflict':
      return 'Someone changed this in the meantime. Reload to see their version, then try again.';
    case 'start_refused':
      return `Start refused: ${error.reason ?? error.message}`;
    case 'invalid_state':
      return `${error.message}. Reload to see its current state.`;
    case 'validation_failed':
      return error.issues.length > 0
        ? `Check the form: ${describeIssues(error.issues)}`
        : error.message;
    default:
      if (error.status >= 500)
        return `The server failed (${error.status}: ${error.message}). Try again; if it persists, check the server log.`;
      return error.message;
  }
}
