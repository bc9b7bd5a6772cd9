import { z } from 'zod';
import type { Environment } from './environments';
import { gamedayPhase, type Gameday } from './gamedays';

/**
 * Planned maintenance on the public page: a game day that will run experiments in production,
 * announced ahead of its window as Statuspage announces scheduled maintenance. Title, window and
 * services only: no participants, no runbook, no experiment details.
 */
export const plannedMaintenanceSchema = z.object({
  id: z.string(),
  title: z.string(),
  /** What users may notice, in plain words. */
  summary: z.string(),
  /** epoch ms: the game day's window. */
  startsAt: z.number(),
  endsAt: z.number(),
  state: z.enum(['scheduled', 'in-progress']),
  /** The services it tests in production. */
  services: z.array(z.string()),
  /** epoch ms: when it was planned as it stands (the game day's last edit). */
  announcedAt: z.number(),
});
export type PlannedMaintenance = z.infer<typeof plannedMaintenanceSchema>;

/** How many planned windows the public page lists at most. */
export const MAX_PLANNED_MAINTENANCE = 20;

const listOf = (items: readonly string[]): string =>
  items.length <= 1
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} and ${items.at(-1) ?? ''}`;

/** The summary for a window testing these services. */
export function maintenanceSummary(services: readonly string[]): string {
  return (
    `Planned resilience testing of ${listOf(services)} in production. ` +
    'Short slowdowns or failed requests are possible while it runs; every test stops by itself ' +
    'if the service suffers more than its set limit.'
  );
}

/**
 * The game day as planned maintenance, or null when it is over or tests nothing in production.
 * `experimentOf` looks up one of its experiments (null when it no longer exists).
 */
export function plannedMaintenance(
  gameday: Pick<Gameday, 'id' | 'title' | 'startsAt' | 'endsAt' | 'experimentIds' | 'updatedAt'>,
  experimentOf: (id: string) => { service: string; environment: Environment } | null,
  now: number,
): PlannedMaintenance | null {
  const phase = gamedayPhase(gameday, now);
  if (phase === 'finished') return null;
  const services = new Set<string>();
  for (const id of gameday.experimentIds) {
    const experiment = experimentOf(id);
    if (experiment?.environment === 'production') services.add(experiment.service);
  }
  if (services.size === 0) return null;
  const list = [...services];
  return {
    id: gameday.id,
    title: gameday.title,
    summary: maintenanceSummary(list),
    startsAt: gameday.startsAt,
    endsAt: gameday.endsAt,
    state: phase,
    services: list,
    announcedAt: gameday.updatedAt,
  };
}
