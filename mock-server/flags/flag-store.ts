import {
  flagHistoryEntrySchema,
  flagSchema,
  flagdMetadataSchema,
  type FlagdMetadata,
  segmentSchema,
  type Flag,
  type FlagHistoryEntry,
  type Segment,
} from '../../src/domain/flags';
import { z } from 'zod';
import { ENVIRONMENTS, environmentSchema, type Environment } from '../../src/domain';
import type { Db, Migration } from '../store/database';
import { documentReader, rowReader, storedValue } from '../store/records';

/** How many of a key's first characters are kept to tell keys apart ("ff_prod_Ab3x"). */
export const OFREP_KEY_HINT_LENGTH = 12;

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
  {
    id: '102-flag-set-metadata',
    sql: 'CREATE TABLE flag_set_metadata (environment TEXT PRIMARY KEY, body TEXT NOT NULL);',
  },
  {
    // Keys were stored in clear: keep each one's hash and first characters. A key applications
    // already hold keeps working (its hash is the same). secure_delete zeroes the freed pages,
    // so the keys do not linger in the file.
    id: '103-ofrep-key-hashes',
    sql: `
      PRAGMA secure_delete = ON;
      CREATE TABLE ofrep_key_hashes (
        environment TEXT PRIMARY KEY,
        hash TEXT NOT NULL UNIQUE,
        hint TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      INSERT INTO ofrep_key_hashes (environment, hash, hint, created_at)
        SELECT environment, secret_hash(key), substr(key, 1, ${OFREP_KEY_HINT_LENGTH}), created_at FROM ofrep_keys;
      DROP TABLE ofrep_keys;
      ALTER TABLE ofrep_key_hashes RENAME TO ofrep_keys;
      PRAGMA secure_delete = OFF;`,
  },
];

/** An OFREP key as stored: its SHA-256 hash and first characters, never the key. */
const storedOfrepKeySchema = z.object({
  environment: environmentSchema,
  hash: z.string().min(1),
  hint: z.string(),
  createdAt: z.number(),
});
export type StoredOfrepKey = z.infer<typeof storedOfrepKeySchema>;

/** Flags, segments, their history and the OFREP keys, as JSON documents keyed by their key. */
export function flagStore(db: Db) {
  const statements = {
    flags: db.prepare('SELECT key AS id, version, body FROM flags ORDER BY key'),
    flag: db.prepare('SELECT key AS id, version, body FROM flags WHERE key = ?'),
    flagKeys: db.prepare('SELECT key FROM flags ORDER BY key').pluck(),
    flagVersion: db.prepare('SELECT version FROM flags WHERE key = ?').pluck(),
    putFlag: db.prepare(
      'INSERT INTO flags (key, version, body) VALUES (@key, @version, @body) ON CONFLICT (key) ' +
        'DO UPDATE SET version = @version, body = @body',
    ),
    deleteFlag: db.prepare('DELETE FROM flags WHERE key = ?'),
    segments: db.prepare('SELECT key AS id, version, body FROM segments ORDER BY key'),
    segment: db.prepare('SELECT key AS id, version, body FROM segments WHERE key = ?'),
    putSegment: db.prepare(
      'INSERT INTO segments (key, version, body) VALUES (@key, @version, @body) ON CONFLICT (key) ' +
        'DO UPDATE SET version = @version, body = @body',
    ),
    deleteSegment: db.prepare('DELETE FROM segments WHERE key = ?'),
    history: db.prepare(
      'SELECT CAST(id AS TEXT) AS id, body FROM flag_history WHERE flag_key = ? ORDER BY id DESC LIMIT ?',
    ),
    allHistory: db.prepare('SELECT CAST(id AS TEXT) AS id, body FROM flag_history ORDER BY id'),
    addHistory: db.prepare('INSERT INTO flag_history (flag_key, body) VALUES (?, ?)'),
    flagSet: db.prepare(
      'SELECT environment AS id, body FROM flag_set_metadata WHERE environment = ?',
    ),
    allFlagSets: db.prepare('SELECT environment AS id, body FROM flag_set_metadata'),
    putFlagSet: db.prepare(
      'INSERT INTO flag_set_metadata (environment, body) VALUES (?, ?) ON CONFLICT (environment) DO UPDATE SET body = excluded.body',
    ),
    keys: db.prepare(
      'SELECT environment AS id, environment, hash, hint, created_at AS createdAt ' +
        'FROM ofrep_keys ORDER BY environment',
    ),
    putKey: db.prepare(
      'INSERT INTO ofrep_keys (environment, hash, hint, created_at) ' +
        'VALUES (@environment, @hash, @hint, @createdAt) ON CONFLICT (environment) DO UPDATE ' +
        'SET hash = excluded.hash, hint = excluded.hint, created_at = excluded.created_at',
    ),
  };
  const rows = (statement: { all(...params: unknown[]): unknown[] }) => () => statement.all();
  const flags = documentReader(db, 'flag', flagSchema, rows(statements.flags));
  const segments = documentReader(db, 'segment', segmentSchema, rows(statements.segments));
  const history = documentReader(
    db,
    'flag-history',
    flagHistoryEntrySchema,
    rows(statements.allHistory),
  );
  const flagSets = documentReader(
    db,
    'flag-set-metadata',
    flagdMetadataSchema,
    rows(statements.allFlagSets),
  );
  const keys = rowReader(db, 'ofrep-key', storedOfrepKeySchema, rows(statements.keys));

  return {
    /** The readable flags; one that cannot be read is skipped and reported. */
    listFlags: (): Flag[] => flags.many(statements.flags.all()),
    /** The key of every stored row, readable or not, in order: nothing is parsed. */
    listFlagKeys: (): string[] => storedValue(z.array(z.string()), statements.flagKeys.all(), []),
    /** The flag, or null when there is none or it cannot be read (see `storedFlagVersion`). */
    getFlag(key: string): Flag | null {
      return flags.one(statements.flag.get(key));
    },
    /** The version of the row stored under `key`, readable or not; null when there is none. */
    storedFlagVersion(key: string): number | null {
      const version: unknown = statements.flagVersion.get(key);
      // A row whose version cannot be read: -1, so it is not taken for no row at all.
      return version === undefined ? null : storedValue(z.number().int(), version, -1);
    },
    putFlag(value: Flag): void {
      statements.putFlag.run({
        key: value.key,
        version: value.version,
        body: JSON.stringify(value),
      });
    },
    deleteFlag: (key: string) => void statements.deleteFlag.run(key),
    listSegments: (): Segment[] => segments.many(statements.segments.all()),
    getSegment(key: string): Segment | null {
      return segments.one(statements.segment.get(key));
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
      return history.many(statements.history.all(key, limit));
    },
    addHistory(key: string, entry: FlagHistoryEntry): void {
      statements.addHistory.run(key, JSON.stringify(entry));
    },
    /** One environment's flag-set metadata, kept from its last flagd import ({} when unreadable). */
    flagSetMetadata(environment: Environment): FlagdMetadata {
      return flagSets.one(statements.flagSet.get(environment)) ?? {};
    },
    putFlagSetMetadata: (environment: Environment, metadata: FlagdMetadata) =>
      void statements.putFlagSet.run(environment, JSON.stringify(metadata)),
    /** Each environment's key hash, in the order of the environments (development first). */
    ofrepKeys: () =>
      keys
        .many(statements.keys.all())
        .sort((a, b) => ENVIRONMENTS.indexOf(a.environment) - ENVIRONMENTS.indexOf(b.environment)),
    putOfrepKey: (key: StoredOfrepKey) => void statements.putKey.run(key),
  };
}
export type FlagStore = ReturnType<typeof flagStore>;
