import { incidentSchema, orderIncidents, type Incident } from '../../src/domain';
import { migrate, type Db, type Migration } from '../store/database';
import { documentReader } from '../store/records';

const INCIDENT_MIGRATIONS: Migration[] = [
  {
    id: '510-incidents',
    sql: `
      CREATE TABLE incidents (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        experiment_id TEXT,
        state TEXT NOT NULL,
        opened_at INTEGER NOT NULL,
        version INTEGER NOT NULL,
        body TEXT NOT NULL
      );
      -- One incident per aborted run: an abort seen twice must not open a second one.
      CREATE UNIQUE INDEX incidents_experiment ON incidents (experiment_id) WHERE experiment_id IS NOT NULL;
      CREATE INDEX incidents_state ON incidents (state, opened_at);`,
  },
];

/** Incidents as JSON documents beside the columns queries use. */
export function incidentStore(db: Db) {
  migrate(db, INCIDENT_MIGRATIONS);
  const insert = db.prepare(
    'INSERT INTO incidents (id, experiment_id, state, opened_at, version, body) ' +
      'VALUES (@id, @experimentId, @state, @openedAt, @version, @body)',
  );
  const update = db.prepare(
    'UPDATE incidents SET state = @state, version = @version, body = @body WHERE id = @id',
  );
  const columns = 'id, version, body';
  const byId = db.prepare(`SELECT ${columns} FROM incidents WHERE id = ?`);
  const byExperiment = db.prepare(`SELECT ${columns} FROM incidents WHERE experiment_id = ?`);
  const all = db.prepare(`SELECT ${columns} FROM incidents ORDER BY seq`);
  const recent = db.prepare(
    `SELECT ${columns} FROM incidents WHERE state = 'open' OR opened_at >= ? ORDER BY seq DESC LIMIT ?`,
  );

  const row = (incident: Incident) => ({
    id: incident.id,
    experimentId: incident.experimentId,
    state: incident.state,
    openedAt: incident.openedAt,
    version: incident.version,
    body: JSON.stringify(incident),
  });
  const reader = documentReader(db, 'incident', incidentSchema, () => all.all());

  return {
    insert(incident: Incident): void {
      insert.run(row(incident));
    },
    save(incident: Incident): void {
      update.run(row(incident));
    },
    get(id: string): Incident | null {
      return reader.one(byId.get(id));
    },
    forExperiment(experimentId: string): Incident | null {
      return reader.one(byExperiment.get(experimentId));
    },
    forExperiments(experimentIds: readonly string[]): Incident[] {
      return experimentIds.flatMap((id) => {
        const incident = reader.one(byExperiment.get(id));
        return incident ? [incident] : [];
      });
    },
    /** Every open incident and those opened since `since` (epoch ms), open first. */
    recent(since: number, limit = 200): Incident[] {
      return orderIncidents(reader.many(recent.all(since, limit)));
    },
  };
}
export type IncidentStore = ReturnType<typeof incidentStore>;
