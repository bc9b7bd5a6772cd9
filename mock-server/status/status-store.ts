import { z } from 'zod';
import { serviceStateSchema, worseState, type ServiceState } from '../../src/domain';
import { migrate, type Db, type Migration } from '../store/database';
import { rowReader, storedValue } from '../store/records';

const STATUS_MIGRATIONS: Migration[] = [
  {
    id: '520-status',
    sql: `
      -- Each day's worst state per service and environment (UTC days), kept for the 90-day strips.
      CREATE TABLE status_daily (
        service TEXT NOT NULL,
        environment TEXT NOT NULL,
        day TEXT NOT NULL,
        state TEXT NOT NULL,
        PRIMARY KEY (service, environment, day)
      );
      CREATE TABLE status_settings (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        enabled INTEGER NOT NULL,
        share_token TEXT,
        version INTEGER NOT NULL
      );
      INSERT INTO status_settings (id, enabled, share_token, version) VALUES (1, 1, NULL, 1);`,
  },
  {
    id: '521-status-time',
    sql: `
      -- Time measured each day and how much of it degraded or in an outage (ms): uptime is
      -- counted from these, not from whole days.
      ALTER TABLE status_daily ADD COLUMN observed_ms INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE status_daily ADD COLUMN degraded_ms INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE status_daily ADD COLUMN outage_ms INTEGER NOT NULL DEFAULT 0;`,
  },
  {
    // The share token was stored in clear: keep its hash. A link already shared keeps working.
    // secure_delete zeroes what the update frees, so the token does not linger in the file.
    id: '522-status-share-token-hash',
    sql: `
      PRAGMA secure_delete = ON;
      ALTER TABLE status_settings RENAME COLUMN share_token TO share_token_hash;
      UPDATE status_settings SET share_token_hash = secret_hash(share_token_hash)
        WHERE share_token_hash IS NOT NULL;
      PRAGMA secure_delete = OFF;`,
  },
];

/** The status page's settings as stored: the share token's SHA-256 hash, never the token. */
export interface StoredStatusSettings {
  enabled: boolean;
  shareTokenHash: string | null;
  version: number;
}

/** Time measured in one day, in ms, and how much of it in each state. */
export interface TimeInStates {
  observedMs: number;
  degradedMs: number;
  outageMs: number;
}

/** A day's rollup as stored; read with the one typed reader, so a bad row is skipped. */
const dailyRollupSchema = z.object({
  service: z.string(),
  environment: z.string(),
  day: z.string(),
  state: serviceStateSchema,
  observedMs: z.number(),
  degradedMs: z.number(),
  outageMs: z.number(),
});
export type DailyRollup = z.infer<typeof dailyRollupSchema>;

const storedSettingsSchema = z
  .object({
    enabled: z.union([z.literal(0), z.literal(1)]),
    share_token_hash: z.string().nullable(),
    version: z.number().int().min(1),
  })
  .transform((row): StoredStatusSettings => ({
    enabled: row.enabled === 1,
    shareTokenHash: row.share_token_hash,
    version: row.version,
  }));

/**
 * The settings when their row cannot be read: the page is off (nothing is shown that was not
 * meant to be), and version 0, so the next save, made against it, writes a readable row again.
 */
const UNREADABLE_SETTINGS: StoredStatusSettings = {
  enabled: false,
  shareTokenHash: null,
  version: 0,
};

/** A day's columns as the rollup names them; its row is named by service, environment and day. */
const DAY_COLUMNS =
  "service || '|' || environment || '|' || day AS id, service, environment, day, state, " +
  'observed_ms AS observedMs, degraded_ms AS degradedMs, outage_ms AS outageMs';

export function statusStore(db: Db) {
  migrate(db, STATUS_MIGRATIONS);
  const getDay = db.prepare(
    `SELECT ${DAY_COLUMNS} FROM status_daily WHERE service = ? AND environment = ? AND day = ?`,
  );
  const putDay = db.prepare(
    'INSERT INTO status_daily (service, environment, day, state) ' +
      'VALUES (@service, @environment, @day, @state) ON CONFLICT (service, environment, day) ' +
      'DO UPDATE SET state = excluded.state',
  );
  const addTime = db.prepare(
    'UPDATE status_daily ' +
      'SET observed_ms = observed_ms + @observedMs, degraded_ms = degraded_ms + @degradedMs, outage_ms = outage_ms + @outageMs ' +
      'WHERE service = @service AND environment = @environment AND day = @day',
  );
  const since = db.prepare(`SELECT ${DAY_COLUMNS} FROM status_daily WHERE day >= ? ORDER BY day`);
  const count = db.prepare('SELECT COUNT(*) AS n FROM status_daily');
  const getSettings = db.prepare(
    "SELECT 'settings' AS id, enabled, share_token_hash, version FROM status_settings WHERE id = 1",
  );
  const putSettings = db.prepare(
    'UPDATE status_settings SET enabled = @enabled, share_token_hash = @shareTokenHash, version = @version WHERE id = 1',
  );
  const allDays = db.prepare(`SELECT ${DAY_COLUMNS} FROM status_daily`);
  const days = rowReader(db, 'status-day', dailyRollupSchema, () => allDays.all());
  const settings = rowReader(db, 'status-settings', storedSettingsSchema, () => [
    getSettings.get(),
  ]);
  /** What is stored for each (service, environment, day) seen since start: writes happen only when a day gets worse. */
  const known = new Map<string, ServiceState>();

  return {
    /** Folds one state into its day's rollup; returns true when the stored state changed. */
    recordState(service: string, environment: string, day: string, state: ServiceState): boolean {
      const key = `${service}|${environment}|${day}`;
      let stored = known.get(key);
      if (stored === undefined) {
        // A day that cannot be read (skipped and reported) is written afresh.
        stored = days.one(getDay.get(service, environment, day))?.state;
      }
      const next = stored ? worseState(stored, state) : state;
      known.set(key, next);
      if (next === stored) return false;
      putDay.run({ service, environment, day, state: next });
      return true;
    },
    /** Adds measured time to a day already rolled up (recordState first). */
    addTime(service: string, environment: string, day: string, time: TimeInStates): void {
      addTime.run({ service, environment, day, ...time });
    },
    rollupsSince(day: string): DailyRollup[] {
      return days.many(since.all(day));
    },
    isEmpty(): boolean {
      return storedValue(z.object({ n: z.number() }), count.get(), { n: 0 }).n === 0;
    },
    settings(): StoredStatusSettings {
      return settings.one(getSettings.get()) ?? UNREADABLE_SETTINGS;
    },
    saveSettings(settings: StoredStatusSettings): void {
      putSettings.run({
        enabled: settings.enabled ? 1 : 0,
        shareTokenHash: settings.shareTokenHash,
        version: settings.version,
      });
    },
    /** Forget the cache (the day rolled over): keeps it bounded. */
    forgetBefore(day: string): void {
      for (const key of known.keys()) if ((key.split('|')[2] ?? '') < day) known.delete(key);
    },
  };
}
export type StatusStore = ReturnType<typeof statusStore>;
