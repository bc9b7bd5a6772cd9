import { rolloutSchema, type Rollout, type RolloutState } from '../../src/domain';
import type { Db, Migration } from '../store/database';
import { documentReader } from '../store/records';

export const ROLLOUT_MIGRATIONS: Migration[] = [
  {
    id: '300-rollouts',
    sql: `
      CREATE TABLE rollouts (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        state TEXT NOT NULL,
        version INTEGER NOT NULL,
        body TEXT NOT NULL
      );
      CREATE INDEX rollouts_state ON rollouts (state);`,
  },
];

/**
 * Rollouts as JSON documents. A row that no longer parses is skipped and reported (listed by
 * /api/v1/skipped-records), never fatal (shared/DESIGN.md, principle 8).
 */
export function rolloutStore(db: Db) {
  const insert = db.prepare(
    'INSERT INTO rollouts (id, state, version, body) VALUES (@id, @state, @version, @body)',
  );
  const update = db.prepare(
    'UPDATE rollouts SET state = @state, version = @version, body = @body WHERE id = @id',
  );
  const byId = db.prepare('SELECT id, version, body FROM rollouts WHERE id = ?');
  const all = db.prepare('SELECT id, version, body FROM rollouts ORDER BY seq DESC');
  const row = (r: Rollout) => ({
    id: r.id,
    state: r.state,
    version: r.version,
    body: JSON.stringify(r),
  });
  const reader = documentReader(db, 'rollout', rolloutSchema, () => all.all());
  const list = (): Rollout[] => reader.many(all.all());

  return {
    insert(r: Rollout): void {
      insert.run(row(r));
    },
    save(r: Rollout): void {
      update.run(row(r));
    },
    get(id: string): Rollout | null {
      return reader.one(byId.get(id));
    },
    /** Newest first. */
    list,
    inStates(states: readonly RolloutState[]): Rollout[] {
      return list().filter((r) => states.includes(r.state));
    },
  };
}
export type RolloutStore = ReturnType<typeof rolloutStore>;
