import { isBackendError } from '@/backend/errors';
import { describeIssues } from '@/domain/validation';

/** A sentence a person can act on, for any error a backend call can end with. */
export function describeError(error: unknown): string {
  if (!isBackendError(error))
    return error instanceof Error ? error.message : 'Something went wrong.';
  switch (error.kind) {
    case 'unavailable':
      if (error.code === 'timeout')
        return 'The Faultline server did not answer in time. Try again; if it keeps happening, check the server.';
      if (error.code === 'metrics_unavailable')
        return `The metrics cannot be read: ${error.message}. Faultline keeps trying; check that Prometheus is up.`;
      if (error.code === 'network_error')
        return 'Cannot reach the Faultline server. Check that it is running and that this machine is online, then try again.';
      return `The server failed (${error.message}). Try again; if it persists, check the server log.`;
    case 'bad-response':
      return (
        `The server answered in a shape this dashboard does not understand (${error.message}). ` +
        'Reload the page; if it persists, the dashboard and server versions differ.'
      );
    case 'unauthorised':
      return 'Your session has ended. Sign in again.';
    case 'forbidden':
      return `Your role may not do this (${error.message}). Ask an SRE or an admin.`;
    case 'not-found':
      return 'Not found: it may have been deleted. Go back to the list.';
    case 'conflict':
      return 'Someone changed this in the meantime. Reload to see their version, then try again.';
    case 'refused':
      if (error.code === 'start_refused') return `Start refused: ${error.reason ?? error.message}`;
      if (error.code === 'invalid_state')
        return `${error.message}. Reload to see its current state.`;
      return error.message;
    case 'invalid':
      return error.issues.length > 0
        ? `Check the form: ${describeIssues(error.issues)}`
        : error.message;
  }
}
