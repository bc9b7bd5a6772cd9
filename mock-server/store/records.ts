import { z } from 'zod';
import type { SkippedRecord } from '../../src/domain';
import type { Db } from './database';

/**
 * The records of one database that could not be read (written by an older version, or damaged):
 * each is skipped wherever it is met, reported once to the listeners, and listed by the API.
 */
interface SkippedRecords {
  skip(record: SkippedRecord): void;
  /** A record read cleanly again, or deleted: no longer reported. */
  clear(kind: string, id: string): void;
  /** Reads every table that registered a scan, and answers what cannot be read now. */
  scan(): SkippedRecord[];
  /** Each record is told once per process; records already met are told at once. */
  onSkip(listener: (record: SkippedRecord) => void): () => void;
  registerScan(kind: string, scan: () => void): void;
}

function createSkippedRecords(): SkippedRecords {
  const records = new Map<string, SkippedRecord>();
  const told = new Set<string>();
  const listeners = new Set<(record: SkippedRecord) => void>();
  const scans = new Map<string, () => void>();
  const keyOf = (kind: string, id: string) => `${kind}\u0000${id}`;
  return {
    skip(record) {
      const key = keyOf(record.kind, record.id);
      records.set(key, record);
      if (told.has(key)) return;
      told.add(key);
      for (const listener of listeners) listener(record);
    },
    clear(kind, id) {
      records.delete(keyOf(kind, id));
    },
    scan() {
      records.clear();
      for (const scan of scans.values()) scan();
      return [...records.values()].sort(
        (a, b) => a.kind.localeCompare(b.kind) || a.id.localeCompare(b.id),
      );
    },
    onSkip(listener) {
      listeners.add(listener);
      for (const record of records.values()) listener(record);
      return () => listeners.delete(listener);
    },
    registerScan(kind, scan) {
      scans.set(kind, scan);
    },
  };
}

const byDatabase = new WeakMap<Db, SkippedRecords>();

/** The one report of unreadable records for a database (every store on it shares it). */
export function skippedRecordsOf(db: Db): SkippedRecords {
  let found = byDatabase.get(db);
  if (!found) {
    found = createSkippedRecords();
    byDatabase.set(db, found);
  }
  return found;
}

function reasonOf(error: unknown): string {
  const message =
    error instanceof Error && 'issues' in error && Array.isArray(error.issues)
      ? (error.issues as { path: PropertyKey[]; message: string }[])
          .slice(0, 1)
          .map((i) => `${i.path.map(String).join('.')}: ${i.message}`)
          .join('')
      : error instanceof Error
        ? error.message
        : String(error);
  // The reason is shown and logged: keep it one short line.
  return message.slice(0, 300);
}

/** A stored JSON document row: its id (key) and body, and its version when the table keeps one. */
const documentRowSchema = z.object({
  id: z.string(),
  body: z.string(),
  version: z.number().optional(),
});

/** Where a row came from, for the report when it cannot be read. */
function rowId(row: unknown): { id: string; version?: number } {
  if (row === null || typeof row !== 'object') return { id: '?' };
  const { id, version } = row as { id?: unknown; version?: unknown };
  return {
    id: typeof id === 'string' || typeof id === 'number' ? String(id) : '?',
    ...(typeof version === 'number' ? { version } : {}),
  };
}

/**
 * The one typed reader of SQLite rows: `decode` turns a row (as better-sqlite3 returns it,
 * unknown) into the value `schema` parses. A row that fails (a column of the wrong type, bad
 * JSON, a schema or a limit it breaks) is skipped and reported, never thrown, so one bad record
 * cannot stop a list, the engine tick or the status page. No row (`undefined`) reads as null.
 */
function recordReader<S extends z.ZodType>(
  db: Db,
  kind: string,
  schema: S,
  decode: (row: unknown) => unknown,
  allRows?: () => unknown[],
) {
  const report = skippedRecordsOf(db);
  const read = (row: unknown): z.infer<S> | null => {
    if (row === undefined) return null;
    try {
      const value = schema.parse(decode(row)) as z.infer<S>;
      report.clear(kind, rowId(row).id);
      return value;
    } catch (error) {
      report.skip({ kind, ...rowId(row), reason: reasonOf(error) });
      return null;
    }
  };
  if (allRows) report.registerScan(kind, () => void allRows().forEach(read));
  return {
    /** The record, or null when there is none or it cannot be read (then it is reported). */
    one: read,
    /** The readable records, in order; the others are skipped and reported. */
    many(rows: readonly unknown[]): z.infer<S>[] {
      const values: z.infer<S>[] = [];
      for (const row of rows) {
        const value = read(row);
        if (value !== null) values.push(value);
      }
      return values;
    },
  };
}

/** Rows of JSON documents (`id`, `body`, maybe `version`), each body parsed with `schema`. */
export function documentReader<S extends z.ZodType>(
  db: Db,
  kind: string,
  schema: S,
  allRows?: () => unknown[],
) {
  return recordReader(
    db,
    kind,
    schema,
    (row) => JSON.parse(documentRowSchema.parse(row).body) as unknown,
    allRows,
  );
}

/** Rows whose columns are the record: `schema` parses the row itself (renaming columns if need be). */
export function rowReader<S extends z.ZodType>(
  db: Db,
  kind: string,
  schema: S,
  allRows?: () => unknown[],
) {
  return recordReader(db, kind, schema, (row) => row, allRows);
}

/**
 * A value read beside the records rather than as one (a count, a MIN, a key list, a version
 * column on its own): parsed with `schema`, never cast. When it does not fit, `fallback` is
 * answered; the record the value belongs to is skipped and reported by its own reader.
 */
export function storedValue<S extends z.ZodType>(
  schema: S,
  value: unknown,
  fallback: z.infer<S>,
): z.infer<S> {
  const parsed = schema.safeParse(value);
  return parsed.success ? (parsed.data as z.infer<S>) : fallback;
}
