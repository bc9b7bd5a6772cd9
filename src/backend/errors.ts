import type { FieldIssue } from '@/domain/validation';

/**
 * Why a backend call failed, in the UI's words rather than a transport's:
 * - unauthorised: the person is not signed in (any more); signing in again is the way on
 * - forbidden: signed in, but their role may not do this
 * - not-found: it does not exist (any more)
 * - conflict: someone changed it in the meantime (a stale version)
 * - invalid: the input was refused; `issues` name the fields
 * - refused: the request was understood and declined (a start that failed its checks,
 *   an action the current state does not allow); `reason` says why
 * - unavailable: no answer, a late answer, or a failure on the backend's side; trying
 *   again may succeed
 * - bad-response: the backend answered something this dashboard cannot read
 */
export type BackendErrorKind =
  | 'unauthorised'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'invalid'
  | 'refused'
  | 'unavailable'
  | 'bad-response';

interface BackendErrorDetails {
  /** The backend's own code for it ("version_conflict", "status_private"), when it gave one. */
  code?: string;
  /** Which fields were at fault (`invalid`). */
  issues?: FieldIssue[];
  /** Why a request was declined (`refused`), when the backend said. */
  reason?: string | null;
  /** What the backend sent, for diagnosis. */
  details?: unknown;
}

/** Every failure a backend reports. Adapters translate their transport's failures into it. */
export class BackendError extends Error {
  readonly code: string;
  readonly issues: FieldIssue[];
  readonly reason: string | null;
  readonly details: unknown;

  constructor(
    readonly kind: BackendErrorKind,
    message: string,
    details: BackendErrorDetails = {},
  ) {
    super(message);
    this.name = 'BackendError';
    this.code = details.code ?? kind;
    this.issues = details.issues ?? [];
    this.reason = details.reason ?? null;
    this.details = details.details;
  }

  /** True when trying the same request again may succeed. */
  get retryable(): boolean {
    return this.kind === 'unavailable';
  }
}

export function isBackendError(error: unknown): error is BackendError {
  return error instanceof BackendError;
}

export function isUnauthorised(error: unknown): boolean {
  return isBackendError(error) && error.kind === 'unauthorised';
}
