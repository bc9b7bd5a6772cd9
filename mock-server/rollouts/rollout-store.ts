import { rolloutSchema, type Rollout, type RolloutState } from '../../src/domain';
import type { Db, Migration } from '../store/database';

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
 * Rollouts as JSON documents. A row that no longer parses is skipped and reported, never fatal
 * (shared/DESIGN.md, principle 8).
 */
export function rolloutStore(db: Db) {
  const insert = db.prepare(
    'INSERT INTO rollouts (id, state, version, body) VALUES (@id, @state, @version, @body)',
  );
  const update = db.prepare(
    'UPDATE rollouts SET state = @state, version = @version, body = @body WHERE id = @id',
  );
  const byId = db.prepare('SELECT id, body FROM rollouts WHERE id = ?');
  const all = db.prepare('SELECT id, body FROM rollouts ORDER BY seq DESC');
  const row = (r: Rollout) => ({
    id: r.id,
    state: r.state,
    version: r.version,
    body: JSON.stringify(r),
  });
  function read(found: { id: string; body: string }): Rollout | null {
    try {
      return rolloutSchema.parse(JSON.parse(found.body));
    } catch (error) {
      console.error(`faultline: rollout ${found.id} cannot be read and is skipped`, error);
      return null;
    }
  }
  const list = (): Rollout[] =>
    (all.all() as { id: string; body: string }[]).flatMap((r) => read(r) ?? []);

  return {
    insert(r: Rollout): void {
      insert.run(row(r));
    },
    save(r: Rollout): void {
      update.run(row(r));
    },
    get(id: string): Rollout | null {
      const found = byId.get(id) as { id: string; body: string } | undefined;
      return found ? read(found) : null;
    },
    /** Newest first. */
    list,
    inStates(states: readonly RolloutState[]): Rollout[] {
      return list().filter((r) => states.includes(r.state));
    },
  };
}
export type RolloutStore = ReturnType<typeof rolloutStore>;
