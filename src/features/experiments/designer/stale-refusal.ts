import { isBackendError } from '@/backend/errors';

/** The value at a dotted path ("abortConditions.0.threshold") of a spec, as JSON. */
function jsonAt(value: unknown, path: string): string {
  let here: unknown = value;
  for (const part of path.split('.').filter(Boolean)) {
    if (here === null || typeof here !== 'object') return 'undefined';
    here = (here as Record<string, unknown>)[part];
  }
  return JSON.stringify(here) ?? 'undefined';
}

/** The condition a steady-state refusal named, when the server said which. */
function refusedCondition(error: unknown): number | null {
  if (!isBackendError(error)) return null;
  const details = error.details;
  if (details === null || typeof details !== 'object') return null;
  const index = (details as Record<string, unknown>).conditionIndex;
  return typeof index === 'number' ? index : null;
}

/**
 * Whether a refusal still applies to the spec as it is now: a field's message until that field
 * changes, a steady-state refusal until the condition it named changes, anything else until
 * the spec changes. What was fixed stops being shown as refused.
 */
export function stillApplies(error: unknown, sent: unknown, current: unknown): boolean {
  if (error === null || error === undefined) return false;
  if (sent === undefined) return true;
  const index = refusedCondition(error);
  const path = index === null ? '' : `abortConditions.${index}`;
  return jsonAt(sent, path) === jsonAt(current, path);
}

/** The server's field messages that still apply, keyed like the form's own ("spec." dropped). */
export function serverIssues(
  error: unknown,
  sent: unknown,
  current: unknown,
): Record<string, string> {
  if (!isBackendError(error)) return {};
  const issues = error.issues
    .map((issue) => ({ path: issue.path.replace(/^spec\./, ''), message: issue.message }))
    .filter(
      (issue) => sent === undefined || jsonAt(sent, issue.path) === jsonAt(current, issue.path),
    );
  return Object.fromEntries(issues.map((issue) => [issue.path, issue.message]));
}
