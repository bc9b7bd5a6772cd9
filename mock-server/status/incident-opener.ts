import { randomBytes } from 'node:crypto';
import { distinctTitle, incidentFromAbort, type Experiment, type Incident } from '../../src/domain';
import type { CoreContext, MutationScope } from '../context';
import type { IncidentStore } from './incident-store';

/** How far back titles are compared, in ms (the incident list's 90 days). */
const TITLE_WINDOW_MS = 90 * 86_400_000;

/**
 * An abort opens an incident in the abort's own transaction, with its audit row: no experiment
 * is ever saved as aborted without its incident, even if the process dies right after. Every
 * abort goes through the engine, so every way an experiment can abort is covered; an abort seen
 * twice opens one.
 */
export function openIncidentsOnAbort(ctx: CoreContext, store: IncidentStore): void {
  ctx.extensions.abortHooks.push((experiment, scope) =>
    openIncidentForAbort(store, experiment, scope),
  );
}

function openIncidentForAbort(
  store: IncidentStore,
  experiment: Experiment,
  scope: MutationScope,
): void {
  const outcome = experiment.run?.outcome;
  if (outcome?.kind !== 'aborted' || store.forExperiment(experiment.id)) return;
  const id = `inc_${randomBytes(6).toString('hex')}`;
  const opened = incidentFromAbort(experiment, outcome);
  // Two aborts of the same kind in the same minute would read alike: number the later one.
  const taken = new Set(store.recent(outcome.at - TITLE_WINDOW_MS).map((i) => i.title));
  const incident: Incident = {
    id,
    ...opened,
    title: distinctTitle(opened.title, taken),
    state: 'open',
    openedAt: outcome.at,
    resolvedAt: null,
    updates: [],
    version: 1,
  };
  store.insert(incident);
  scope.audit('incident.open', { type: 'incident', id }, null, incident);
  scope.publish({ type: 'resource', resource: 'incidents', id, change: 'opened' });
}
