import {
  ENVIRONMENTS,
  HISTORY_DAYS,
  MAX_PLANNED_MAINTENANCE,
  plannedMaintenance,
  type PlannedMaintenance,
  dayKey,
  historyStrip,
  publicThresholds,
  redactPersonalData,
  stateFromMetrics,
  testedExperiment,
  toPublicIncident,
  type PublicIncident,
  type Service,
  type StatusResponse,
  type TestedExperiment,
  uptimes,
} from '../../src/domain';
import type { CoreContext } from '../context';
import { gamedayStore } from '../gamedays/gameday-store';
import { experimentStore } from '../store/experiment-store';
import type { IncidentStore } from './incident-store';
import type { StatusMonitor } from './status-monitor';
import type { DailyRollup, StatusStore } from './status-store';
import { rolloutsInProgress } from './rollouts';

/** Incidents on the public page: every open one and those of the last 30 days, in ms. */
const INCIDENT_WINDOW_MS = 30 * 86_400_000;
const DAY_MS = 86_400_000;

interface StatusParts {
  ctx: CoreContext;
  services: readonly Service[];
  monitor: StatusMonitor;
  store: StatusStore;
  incidents: IncidentStore;
}

const scrubIncident = (incident: PublicIncident): PublicIncident => ({
  ...incident,
  title: redactPersonalData(incident.title),
  summary: redactPersonalData(incident.summary),
  updates: incident.updates.map((u) => ({ ...u, text: redactPersonalData(u.text) })),
});

/** What users of a service lived with: production's days, and its uptime from them. */
function productionHistory(rollups: readonly DailyRollup[], now: number) {
  const history = historyStrip(rollups, now);
  return { history, uptime: uptimes(history) };
}

const tableExists = (ctx: CoreContext, name: string) =>
  ctx.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name);

/**
 * Game days that will test production, as planned maintenance; none when the game-day module
 * has not set up its tables. Looks at twice the listed number, since some test only staging.
 */
function maintenanceAhead(ctx: CoreContext, now: number): PlannedMaintenance[] {
  if (!tableExists(ctx, 'gamedays')) return [];
  const experiments = experimentStore(ctx.db);
  return gamedayStore(ctx.db)
    .endingAfter(now, MAX_PLANNED_MAINTENANCE * 2)
    .flatMap((gameday) => {
      const planned = plannedMaintenance(gameday, (id) => experiments.get(id), now);
      return planned ? [{ ...planned, title: redactPersonalData(planned.title) }] : [];
    })
    .slice(0, MAX_PLANNED_MAINTENANCE);
}

/** The public status: states, what is being tested, incidents, history. Names and numbers only. */
export function buildStatus({
  ctx,
  services,
  monitor,
  store,
  incidents,
}: StatusParts): StatusResponse {
  const now = ctx.clock.now();
  // Time measured since the last write counts too: the page reads up to the latest sample.
  monitor.flush();
  const rollups = store.rollupsSince(dayKey(now - (HISTORY_DAYS - 1) * DAY_MS));
  const experiments: TestedExperiment[] = experimentStore(ctx.db)
    .withState('running')
    .flatMap((e) => {
      const tested = testedExperiment(e, now);
      return tested ? [{ ...tested, name: redactPersonalData(tested.name) }] : [];
    });
  return {
    generatedAt: now,
    services: services.map((service) => ({
      service: service.name,
      description: service.description,
      environments: ENVIRONMENTS.map((environment) => {
        const reading = monitor.latest(service.name, environment);
        const verdict = reading ? stateFromMetrics(reading.values) : null;
        return {
          environment,
          state: verdict?.state ?? null,
          reasons: verdict?.plainReasons ?? [],
          updatedAt: reading?.t ?? null,
        };
      }),
      ...productionHistory(
        rollups.filter((r) => r.service === service.name && r.environment === 'production'),
        now,
      ),
    })),
    testing: { experiments, rollouts: rolloutsInProgress(ctx) },
    incidents: incidents
      .recent(now - INCIDENT_WINDOW_MS, 50)
      .map((i) => scrubIncident(toPublicIncident(i))),
    maintenance: maintenanceAhead(ctx, now),
    thresholds: publicThresholds(),
  };
}
