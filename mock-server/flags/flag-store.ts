import {
  flagHistoryEntrySchema,
  flagSchema,
  segmentSchema,
  type Flag,
  type FlagHistoryEntry,
  type Segment,
} from '../../src/domain/flags';
import { ENVIRONMENTS, type Environment } from '../../src/domain';
import type { Db, Migration } from '../store/database';

export const FLAG_MIGRATIONS: Migration[] = [
  {
    id: '100-flags',
    sql: `
      CREATE TABLE flags (key TEXT PRIMARY KEY, version INTEGER NOT NULL, body TEXT NOT NULL);
      CREATE TABLE segments (key TEXT PRIMARY KEY, version INTEGER NOT NULL, body TEXT NOT NULL);
      CREATE TABLE flag_history (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        flag_key TEXT NOT NULL,
        body TEXT NOT NULL
      );
      CREATE INDEX flag_history_key ON flag_history (flag_key, id);
      CREATE TABLE ofrep_keys (environment TEXT PRIMARY KEY, key TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL);`,
  },
];

type Body = { body: string };

/** Flags, segments, their history and the OFREP keys, as JSON documents keyed by their key. */
export function flagStore(db: Db) {
  const statements = {
    flags: db.prepare('SELECT body FROM flags ORDER BY key'),
    flag: db.prepare('SELECT body FROM flags WHERE key = ?'),
    putFlag: db.prepare(
      'INSERT INTO flags (key, version, body) VALUES (@key, @version, @body) ON CONFLICT (key) DO UPDATE SET version = @version, body = @body',
    ),
    deleteFlag: db.prepare('DELETE FROM flags WHERE key = ?'),
    segments: db.prepare('SELECT body FROM segments ORDER BY key'),
    segment: db.prepare('SELECT body FROM segments WHERE key = ?'),
    putSegment: db.prepare(
      'INSERT INTO segments (key, version, body) VALUES (@key, @version, @body) ON CONFLICT (key) DO UPDATE SET version = @version, body = @body',
    ),
    deleteSegment: db.prepare('DELETE FROM segments WHERE key = ?'),
    history: db.prepare(
      'SELECT body FROM flag_history WHERE flag_key = ? ORDER BY id DESC LIMIT ?',
    ),
    addHistory: db.prepare('INSERT INTO flag_history (flag_key, body) VALUES (?, ?)'),
    keys: db.prepare('SELECT environment, key FROM ofrep_keys ORDER BY environment'),
    putKey: db.prepare(
      'INSERT INTO ofrep_keys (environment, key, created_at) VALUES (?, ?, ?) ON CONFLICT (environment) DO UPDATE SET key = excluded.key, created_at = excluded.created_at',
    ),
  };
  const flag = (row: Body) => flagSchema.parse(JSON.parse(row.body));
  const segment = (row: Body) => segmentSchema.parse(JSON.parse(row.body));

  return {
    listFlags: (): Flag[] => (statements.flags.all() as Body[]).map(flag),
    getFlag(key: string): Flag | null {
      const row = statements.flag.get(key) as Body | undefined;
      return row ? flag(row) : null;
    },
    putFlag(value: Flag): void {
      statements.putFlag.run({
        key: value.key,
        version: value.version,
        body: JSON.stringify(value),
      });
    },
    deleteFlag: (key: string) => void statements.deleteFlag.run(key),
    listSegments: (): Segment[] => (statements.segments.all() as Body[]).map(segment),
    getSegment(key: string): Segment | null {
      const row = statements.segment.get(key) as Body | undefined;
      return row ? segment(row) : null;
    },
    putSegment(value: Segment): void {
      statements.putSegment.run({
        key: value.key,
        version: value.version,
        body: JSON.stringify(value),
      });
    },
    deleteSegment: (key: string) => void statements.deleteSegment.run(key),
    /** Newest first. */
    history(key: string, limit = 200): FlagHistoryEntry[] {
      return (statements.history.all(key, limit) as Body[]).map((row) =>
        flagHistoryEntrySchema.parse(JSON.parse(row.body)),
      );
    },
    addHistory(key: string, entry: FlagHistoryEntry): void {
      statements.addHistory.run(key, JSON.stringify(entry));
    },
    /** In the order of the environments: development first, production last. */
    ofrepKeys: () =>
      (statements.keys.all() as { environment: Environment; key: string }[]).sort(
        (a, b) => ENVIRONMENTS.indexOf(a.environment) - ENVIRONMENTS.indexOf(b.environment),
      ),
    putOfrepKey: (environment: Environment, key: string, at: number) =>
      void statements.putKey.run(environment, key, at),
  };
}
export type FlagStore = ReturnType<typeof flagStore>;
