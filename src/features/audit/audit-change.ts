/** One field an edit changed: "state: running → halted". */
export interface FieldChange {
  field: string;
  before: string;
  after: string;
}

const MAX_VALUE_CHARS = 80;

function show(value: unknown): string {
  if (value === undefined) return '—';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The top-level fields that differ between the record before and after a change. Bookkeeping
 * fields (version, updatedAt) are left out: every edit changes them.
 */
export function changedFields(before: unknown, after: unknown): FieldChange[] {
  if (!isRecord(before) || !isRecord(after)) return [];
  const skip = new Set(['version', 'updatedAt']);
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
    (f) => !skip.has(f),
  );
  return fields
    .filter((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]))
    .map((field) => ({ field, before: show(before[field]), after: show(after[field]) }));
}

/** A one-line account of a change for the table: what changed, or what was created / removed. */
export function describeChange(before: unknown, after: unknown): string {
  if ((before === null || before === undefined) && after !== null && after !== undefined)
    return 'created';
  if ((after === null || after === undefined) && before !== null && before !== undefined)
    return 'removed';
  const changes = changedFields(before, after);
  if (changes.length === 0) return '';
  return changes.map((c) => `${c.field}: ${c.before} → ${c.after}`).join('; ');
}
