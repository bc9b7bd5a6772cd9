import { z } from 'zod';
import { riseUnit } from './abort-conditions';
import { ATTACK_INFO, formatMagnitude } from './attacks';
import { environmentSchema } from './environments';
import type { AbortOutcome, Experiment } from './experiment';
import { METRIC_INFO } from './metrics';
import {
  PLAIN_ATTACK_VERB,
  PLAIN_SYMPTOM,
  plainMeasurement,
  plainRise,
  plainUtcTime,
} from './status-words';

const INCIDENT_STATES = ['open', 'resolved'] as const;
const incidentStateSchema = z.enum(INCIDENT_STATES);

const incidentUpdateSchema = z.object({
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
  /** Tells incidents apart: service, environment, what happened, when. */
  title: z.string(),
  /** For the team, in the dashboard's words (metric names, attack kinds, thresholds). */
  summary: z.string(),
  /**
   * The same in plain words, for the public page and its feed: no metric names or status codes.
   * Absent on incidents opened before it existed; the public page shows `summary` then.
   */
  publicSummary: z.string().optional(),
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
  const { id, title, service, environment, state, openedAt, resolvedAt } = incident;
  return {
    id,
    title,
    summary: incident.publicSummary ?? incident.summary,
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

type AbortedExperiment = Pick<
  Experiment,
  'id' | 'name' | 'service' | 'environment' | 'attack' | 'steps' | 'run'
>;

/** What users would have noticed, in words: "some requests failing". */
function symptom(outcome: AbortOutcome): string {
  return outcome.noMetrics ? 'measurements lost' : PLAIN_SYMPTOM[outcome.condition.metric];
}

/**
 * An incident's title: service, environment, what happened and when, so two incidents never
 * read the same ("checkout in staging: some requests failing during a planned test, 2 Dec 21:40
 * UTC"). The opener numbers a title that still repeats one.
 */
function incidentTitle(
  experiment: Pick<Experiment, 'service' | 'environment'>,
  outcome: AbortOutcome,
): string {
  return `${experiment.service} in ${experiment.environment}: ${symptom(outcome)} during a planned test, ${plainUtcTime(outcome.at)}`;
}

/** A title not among `taken`: the same words get " (2)", " (3)"… */
export function distinctTitle(title: string, taken: ReadonlySet<string>): string {
  if (!taken.has(title)) return title;
  for (let n = 2; n < 10_000; n++) {
    const numbered = `${title} (${n})`;
    if (!taken.has(numbered)) return numbered;
  }
  return `${title} (${taken.size + 1})`;
}

/** The public summary: what the test did and why it stopped, with no metric names. */
function plainAbortSummary(experiment: AbortedExperiment, outcome: AbortOutcome): string {
  const targets = experiment.run?.targets.length ?? 0;
  const servers = `${targets} server${targets === 1 ? '' : 's'}`;
  const why = outcome.noMetrics
    ? 'its measurements could no longer be read, so it could not be watched safely'
    : outcome.condition.kind === 'rising'
      ? `${plainRise(outcome.condition.metric)}, past the limit set for the test`
      : `${plainMeasurement(outcome.condition.metric, outcome.latest)}, past the limit set for the test`;
  return [
    // The experiment's name is left out: people name tests in the team's words ("CPU pressure").
    `A planned test ${PLAIN_ATTACK_VERB[experiment.attack.type]} ${servers} of ${experiment.service} in ${experiment.environment}.`,
    `It was stopped automatically because ${why}.`,
    `Everything the test changed was undone at once; ${STILL_LOOKING}`,
  ].join(' ');
}

/**
 * What an abort opens: a title that tells it apart, a summary for the team in the dashboard's
 * words and one for the public page in plain words, built from the experiment and the condition
 * that tripped.
 */
export function incidentFromAbort(
  experiment: AbortedExperiment,
  outcome: AbortOutcome,
): Pick<
  Incident,
  'title' | 'summary' | 'publicSummary' | 'service' | 'environment' | 'experimentId'
> {
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
    title: incidentTitle(experiment, outcome),
    summary,
    publicSummary: plainAbortSummary(experiment, outcome),
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
