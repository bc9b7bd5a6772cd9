import { serviceStateSchema, worseState, type ServiceState } from '../../src/domain';
import { migrate, type Db, type Migration } from '../store/database';

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

export interface DailyRollup {
  service: string;
  environment: string;
  day: string;
  state: ServiceState;
  observedMs: number;
  degradedMs: number;
  outageMs: number;
}

export function statusStore(db: Db) {
  migrate(db, STATUS_MIGRATIONS);
  const getDay = db.prepare(
    'SELECT state FROM status_daily WHERE service = ? AND environment = ? AND day = ?',
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
  const since = db.prepare(
    'SELECT service, environment, day, state, observed_ms AS observedMs, degraded_ms AS degradedMs, outage_ms AS outageMs ' +
      'FROM status_daily WHERE day >= ? ORDER BY day',
  );
  const count = db.prepare('SELECT COUNT(*) AS n FROM status_daily');
  const getSettings = db.prepare(
    'SELECT enabled, share_token_hash, version FROM status_settings WHERE id = 1',
  );
  const putSettings = db.prepare(
    'UPDATE status_settings SET enabled = @enabled, share_token_hash = @shareTokenHash, version = @version WHERE id = 1',
  );
  /** What is stored for each (service, environment, day) seen since start: writes happen only when a day gets worse. */
  const known = new Map<string, ServiceState>();

  return {
    /** Folds one state into its day's rollup; returns true when the stored state changed. */
    recordState(service: string, environment: string, day: string, state: ServiceState): boolean {
      const key = `${service}|${environment}|${day}`;
      let stored = known.get(key);
      if (stored === undefined) {
        const row = getDay.get(service, environment, day) as { state: string } | undefined;
        stored = row ? serviceStateSchema.parse(row.state) : undefined;
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
      return (since.all(day) as DailyRollup[]).map((r) => ({
        ...r,
        state: serviceStateSchema.parse(r.state),
      }));
    },
    isEmpty(): boolean {
      return (count.get() as { n: number }).n === 0;
    },
    settings(): StoredStatusSettings {
      const row = getSettings.get() as {
        enabled: number;
        share_token_hash: string | null;
        version: number;
      };
      return {
        enabled: row.enabled === 1,
        shareTokenHash: row.share_token_hash,
        version: row.version,
      };
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
