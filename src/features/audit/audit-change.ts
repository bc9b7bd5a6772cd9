import { formatDateTimeSeconds } from '@/lib/format';

/** One field an edit changed, side by side: "state: running → halted". */
interface FieldChange {
  /** Dotted for nested fields: "run.outcome.kind". */
  field: string;
  before: string;
  after: string;
}

const MAX_VALUE_CHARS = 160;
/** Nested records are opened this deep; deeper values are shown whole. */
const MAX_DEPTH = 3;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A time field (`at`, `startedAt`, …) holding epoch ms: shown as a time, never as a number. */
const isTime = (field: string, value: unknown) =>
  typeof value === 'number' && value > 1e11 && /(^|\.)(at|[a-z]+At)$/.test(field);

function show(field: string, value: unknown): string {
  if (value === undefined || value === null) return '—';
  if (isTime(field, value)) return formatDateTimeSeconds(value as number);
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

/** The record's fields as dotted paths down to MAX_DEPTH, so nested changes show on their own. */
function flatten(record: unknown, prefix = '', depth = 0, into = new Map<string, unknown>()) {
  if (!isRecord(record) || depth >= MAX_DEPTH) {
    into.set(prefix, record);
    return into;
  }
  for (const [key, value] of Object.entries(record)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (isRecord(value)) flatten(value, path, depth + 1, into);
    else into.set(path, value);
  }
  return into;
}

/**
 * The fields that differ between the record before and after a change, nested ones by their
 * dotted path, each value in full (up to 160 characters) so before and after never look the
 * same. Bookkeeping fields (version, updatedAt) are left out: every edit changes them.
 */
export function changedFields(before: unknown, after: unknown): FieldChange[] {
  if (!isRecord(before) || !isRecord(after)) return [];
  const skip = new Set(['version', 'updatedAt']);
  const was = flatten(before);
  const now = flatten(after);
  const fields = [...new Set([...was.keys(), ...now.keys()])].filter((f) => !skip.has(f));
  return (
    fields
      // null and absent are the same: a nested record that appears shows as its own fields.
      .filter(
        (field) =>
          JSON.stringify(was.get(field) ?? null) !== JSON.stringify(now.get(field) ?? null),
      )
      .map((field) => ({
        field,
        before: show(field, was.get(field)),
        after: show(field, now.get(field)),
      }))
  );
}

/** What a change did when it is not an edit of fields: created, removed, or nothing to show. */
export function changeKind(before: unknown, after: unknown): 'created' | 'removed' | 'edited' {
  const none = (v: unknown) => v === null || v === undefined;
  if (none(before) && !none(after)) return 'created';
  if (none(after) && !none(before)) return 'removed';
  return 'edited';
}
