import { z } from 'zod';
import { riseUnit } from './abort-conditions';
import { ATTACK_INFO, formatMagnitude } from './attacks';
import { environmentSchema } from './environments';
import type { AbortOutcome, Experiment } from './experiment';
import { METRIC_INFO } from './metrics';

export const INCIDENT_STATES = ['open', 'resolved'] as const;
export const incidentStateSchema = z.enum(INCIDENT_STATES);
export type IncidentState = z.infer<typeof incidentStateSchema>;

export const incidentUpdateSchema = z.object({
  id: z.string(),
  /** epoch ms */
  at: z.number(),
  /** Who wrote it; null for what the system wrote itself. Never shown on the public page. */
  author: z.string().nullable(),
  text: z.string(),
  /** The update that resolved the incident. */
  resolves: z.boolean(),
});
export type IncidentUpdate = z.infer<typeof incidentUpdateSchema>;

export const incidentSchema = z.object({
  id: z.string(),
  title: z.string(),
  /** Plain language, for people who never saw the dashboard. */
  summary: z.string(),
  service: z.string(),
  environment: environmentSchema,
  experimentId: z.string().nullable(),
  state: incidentStateSchema,
  openedAt: z.number(),
  resolvedAt: z.number().nullable(),
  updates: z.array(incidentUpdateSchema),
  version: z.number().int(),
});
export type Incident = z.infer<typeof incidentSchema>;

export const incidentListSchema = z.object({ incidents: z.array(incidentSchema) });

const updateText = z
  .string()
  .trim()
  .min(1, 'write what changed')
  .max(5000, 'an update is at most 5000 characters');

export const addIncidentUpdateSchema = z.object({ text: updateText });
/** Resolving names the version it saw, so two people cannot resolve over each other. */
export const resolveIncidentSchema = z.object({
  version: z.number().int(),
  text: updateText.default('Resolved.'),
});

/** What the public status page shows of an incident: no authors, nothing but words and times. */
export const publicIncidentSchema = incidentSchema
  .pick({
    id: true,
    title: true,
    summary: true,
    service: true,
    environment: true,
    state: true,
    openedAt: true,
    resolvedAt: true,
  })
  .extend({
    updates: z.array(z.object({ at: z.number(), text: z.string(), resolves: z.boolean() })),
  });
export type PublicIncident = z.infer<typeof publicIncidentSchema>;

export function toPublicIncident(incident: Incident): PublicIncident {
  const { id, title, summary, service, environment, state, openedAt, resolvedAt } = incident;
  return {
    id,
    title,
    summary,
    service,
    environment,
    state,
    openedAt,
    resolvedAt,
    updates: incident.updates.map(({ at, text, resolves }) => ({ at, text, resolves })),
  };
}

const STILL_LOOKING = 'the team is looking into what the test revealed.';

const round = (value: number) => Math.round(value * 10) / 10;

/**
 * What an abort opens: a title and a summary a manager understands without knowing the
 * dashboard, built from the experiment and the condition that tripped.
 */
export function incidentFromAbort(
  experiment: Pick<
    Experiment,
    'id' | 'name' | 'service' | 'environment' | 'attack' | 'steps' | 'run'
  >,
  outcome: AbortOutcome,
): Pick<Incident, 'title' | 'summary' | 'service' | 'environment' | 'experimentId'> {
  const info = METRIC_INFO[outcome.condition.metric];
  const unit = info.unit === '%' ? ' %' : ` ${info.unit}`;
  const stepIndex = experiment.run?.stepIndex ?? 0;
  const attackInfo = ATTACK_INFO[experiment.attack.type];
  const magnitude = formatMagnitude(experiment.attack.type, experiment.steps[stepIndex]?.magnitude);
  const attack = attackInfo.label.toLowerCase() + (attackInfo.magnitude ? ` of ${magnitude}` : '');
  const targets = experiment.run?.targets.length ?? 0;
  const where = `${experiment.service} in ${experiment.environment}`;
  const measured = outcome.noMetrics
    ? `its metrics could not be read (${outcome.noMetrics.reason})`
    : outcome.condition.kind === 'rising'
      ? `the ${info.noun} rose by ${round(outcome.value)} ${riseUnit(outcome.condition)} (to ${round(outcome.latest)}${unit})`
      : `the ${info.noun} reached ${round(outcome.latest)}${unit}`;
  const summary = [
    `A planned test (“${experiment.name}”) put ${attack} on ${targets} instance${targets === 1 ? '' : 's'} of ${where}.`,
    outcome.noMetrics
      ? `It was stopped automatically because ${measured}: it could not be watched safely.`
      : `It was stopped automatically because ${measured}, past its safety limit (${outcome.description}).`,
    `Every injected fault was removed at once; ${STILL_LOOKING}`,
  ].join(' ');
  return {
    title: `${experiment.service} (${experiment.environment}): test stopped by its safety limit`,
    summary,
    service: experiment.service,
    environment: experiment.environment,
    experimentId: experiment.id,
  };
}

/**
 * The summary as it reads now: once resolved, it no longer says the team is still looking
 * into it (the summary was written when the incident opened).
 */
export function currentSummary(incident: Pick<Incident, 'state' | 'summary'>): string {
  if (incident.state === 'open') return incident.summary;
  return incident.summary.replace(`; ${STILL_LOOKING}`, '.').replace(STILL_LOOKING, '');
}

/** An update's text with its "Resolved:" label, never "Resolved: Resolved.". */
export function updateLine(update: { text: string; resolves?: boolean | undefined }): string {
  if (!update.resolves) return update.text;
  return /^resolved\b/i.test(update.text.trim()) ? update.text : `Resolved: ${update.text}`;
}

/** Open incidents first (newest first), then resolved ones (most recently resolved first). */
export function orderIncidents<T extends Pick<Incident, 'state' | 'openedAt' | 'resolvedAt'>>(
  incidents: readonly T[],
): T[] {
  return [...incidents].sort((a, b) => {
    if (a.state !== b.state) return a.state === 'open' ? -1 : 1;
    if (a.state === 'open') return b.openedAt - a.openedAt;
    return (b.resolvedAt ?? 0) - (a.resolvedAt ?? 0);
  });
}
