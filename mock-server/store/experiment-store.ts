import {
  experimentSchema,
  type Environment,
  type Experiment,
  type ExperimentState,
} from '../../src/domain';
import type { Db } from './database';
import { documentReader } from './records';

interface ExperimentFilter {
  environment?: Environment;
  state?: ExperimentState;
  lineageId?: string;
}

/** Experiments as JSON documents, with the columns queries filter on beside them. */
export function experimentStore(db: Db) {
  const insert = db.prepare(
    'INSERT INTO experiments (id, lineage_id, environment, state, version, body) ' +
      'VALUES (@id, @lineageId, @environment, @state, @version, @body)',
  );
  const update = db.prepare(
    'UPDATE experiments ' +
      'SET lineage_id = @lineageId, environment = @environment, state = @state, version = @version, body = @body ' +
      'WHERE id = @id',
  );
  const remove = db.prepare('DELETE FROM experiments WHERE id = ?');
  const columns = 'id, version, body';
  const byId = db.prepare(`SELECT ${columns} FROM experiments WHERE id = ?`);
  const byState = db.prepare(`SELECT ${columns} FROM experiments WHERE state = ? ORDER BY seq`);
  const all = db.prepare(`SELECT ${columns} FROM experiments ORDER BY seq`);

  const row = (experiment: Experiment) => ({
    id: experiment.id,
    lineageId: experiment.lineageId,
    environment: experiment.environment,
    state: experiment.state,
    version: experiment.version,
    body: JSON.stringify(experiment),
  });
  const reader = documentReader(db, 'experiment', experimentSchema, () => all.all());

  return {
    insert(experiment: Experiment): void {
      insert.run(row(experiment));
    },
    save(experiment: Experiment): void {
      update.run(row(experiment));
    },
    delete(id: string): void {
      remove.run(id);
    },
    get(id: string): Experiment | null {
      return reader.one(byId.get(id));
    },
    withState(state: ExperimentState): Experiment[] {
      return reader.many(byState.all(state));
    },
    /** Newest first. */
    list(filter: ExperimentFilter = {}): Experiment[] {
      const where: string[] = [];
      const params: Record<string, string> = {};
      if (filter.environment) {
        where.push('environment = @environment');
        params.environment = filter.environment;
      }
      if (filter.state) {
        where.push('state = @state');
        params.state = filter.state;
      }
      if (filter.lineageId) {
        where.push('lineage_id = @lineageId');
        params.lineageId = filter.lineageId;
      }
      const sql = `SELECT ${columns} FROM experiments ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC`;
      return reader.many(db.prepare(sql).all(params));
    },
  };
}
export type ExperimentStore = ReturnType<typeof experimentStore>;
