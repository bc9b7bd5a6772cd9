import { randomBytes } from 'node:crypto';
import { incidentFromAbort, type Experiment, type Incident } from '../../src/domain';
import { SYSTEM_ACTOR, type CoreContext } from '../context';
import type { IncidentStore } from './incident-store';

/**
 * An abort opens an incident, written by the system with its audit row. It listens to the
 * stream, so every way an experiment can abort is covered; an abort seen twice opens one.
 */
export function openIncidentsOnAbort(ctx: CoreContext, store: IncidentStore): () => void {
  return ctx.bus.subscribe((record) => {
    const { event } = record;
    if (event.type !== 'experiment' || event.change !== 'aborted') return;
    openIncidentForAbort(ctx, store, event.experiment, record.at);
  });
}

export function openIncidentForAbort(ctx: CoreContext, store: IncidentStore, experiment: Experiment, at: number): Incident | null {
  const outcome = experiment.run?.outcome;
  if (outcome?.kind !== 'aborted' || store.forExperiment(experiment.id)) return null;
  const id = `inc_${randomBytes(6).toString('hex')}`;
  return ctx.mutate(SYSTEM_ACTOR, 'incident.open', { type: 'incident', id }, (scope) => {
    const incident: Incident = {
      id,
      ...incidentFromAbort(experiment, outcome),
      state: 'open',
      openedAt: outcome.at || at,
      resolvedAt: null,
      updates: [],
      version: 1,
    };
    store.insert(incident);
    scope.publish({ type: 'resource', resource: 'incidents', id, change: 'opened' });
    return { before: null, after: incident, result: incident };
  });
}
