import type { z } from 'zod';
import type { SkippedRecord } from '../../src/domain';
import type { Db } from './database';

/** A stored JSON document row: its id (key) and body, and its version when the table keeps one. */
export interface DocumentRow {
  id: string;
  body: string;
  version?: number;
}

/**
 * The records of one database that could not be read (written by an older version, or damaged):
 * each is skipped wherever it is met, reported once to the listeners, and listed by the API.
 */
export interface SkippedRecords {
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

/**
 * The one typed reader of JSON document rows: parses a body with its domain schema; a row that
 * fails (bad JSON, a schema or a limit it breaks) is skipped and reported, never thrown, so one
 * bad record cannot stop a list, the engine tick or the status page.
 */
export function documentReader<S extends z.ZodType>(
  db: Db,
  kind: string,
  schema: S,
  allRows?: () => DocumentRow[],
) {
  const report = skippedRecordsOf(db);
  const read = (row: DocumentRow): z.infer<S> | null => {
    try {
      const value = schema.parse(JSON.parse(row.body)) as z.infer<S>;
      report.clear(kind, row.id);
      return value;
    } catch (error) {
      report.skip({
        kind,
        id: row.id,
        ...(row.version === undefined ? {} : { version: row.version }),
        reason: reasonOf(error),
      });
      return null;
    }
  };
  if (allRows) report.registerScan(kind, () => void allRows().forEach(read));
  return {
    /** The record, or null when it cannot be read (then it is reported). */
    one: read,
    /** The readable records, in order; the others are skipped and reported. */
    many(rows: readonly DocumentRow[]): z.infer<S>[] {
      const values: z.infer<S>[] = [];
      for (const row of rows) {
        const value = read(row);
        if (value !== null) values.push(value);
      }
      return values;
    },
  };
}
