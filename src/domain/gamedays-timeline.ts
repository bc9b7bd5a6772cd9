import { z } from 'zod';
import { formatMagnitude } from './attacks';
import type { StreamEvent } from './api';
import type { Experiment } from './experiment';
import { isInWindow, type Gameday } from './gamedays';
import { METRIC_INFO } from './metrics';
import { rolloutSubject, type Rollout } from './rollouts';

const TIMELINE_KINDS = [
  'started',
  'stepped',
  'completed',
  'aborted',
  'halted',
  'interrupted',
  'halt-all',
  'flag-off',
  'rollout-held',
  'rollout-paused',
  'note',
] as const;
const timelineKindSchema = z.enum(TIMELINE_KINDS);
export type TimelineKind = z.infer<typeof timelineKindSchema>;

/** One line of a game day's timeline: something that happened, or a note someone typed. */
export const timelineEntrySchema = z.object({
  id: z.string(),
  gamedayId: z.string(),
  /** epoch ms */
  at: z.number(),
  kind: timelineKindSchema,
  experimentId: z.string().nullable(),
  /** Plain language: "“CPU on checkout” aborted: 5xx rate > 1 % for 10 s (reached 3.2 %)", or the note. */
  text: z.string(),
  /** Who did it (halted by, note author); null for what the system did on its own. */
  by: z.string().nullable(),
});
export type TimelineEntry = z.infer<typeof timelineEntrySchema>;
export type TimelineDraft = Omit<TimelineEntry, 'id' | 'gamedayId'>;

export const timelineSchema = z.object({ entries: z.array(timelineEntrySchema) });

const quoted = (experiment: Pick<Experiment, 'name'>) => `“${experiment.name}”`;

function experimentLine(
  change: string,
  experiment: Experiment,
  by: string | undefined,
): { text: string; by: string | null } | null {
  const run = experiment.run;
  const where = `${experiment.service}/${experiment.environment}`;
  switch (change) {
    case 'started': {
      const first = experiment.steps[0];
      const magnitude = formatMagnitude(experiment.attack.type, first?.magnitude);
      const count = run?.targets.length ?? 0;
      const who = run?.startedBy ?? by ?? null;
      return {
        text: `Started ${quoted(experiment)} on ${where}: ${magnitude} on ${count} instance${count === 1 ? '' : 's'}`,
        by: who,
      };
    }
    case 'stepped': {
      const index = run?.stepIndex ?? 0;
      const step = experiment.steps[index];
      const magnitude = formatMagnitude(experiment.attack.type, step?.magnitude);
      return {
        text: `${quoted(experiment)} moved to step ${index + 1} of ${experiment.steps.length}: ${magnitude}`,
        by: null,
      };
    }
    case 'completed':
      return { text: `${quoted(experiment)} completed every step`, by: null };
    case 'aborted': {
      const outcome = run?.outcome;
      if (outcome?.kind !== 'aborted') return { text: `${quoted(experiment)} aborted`, by: null };
      if (outcome.noMetrics)
        return {
          text: `${quoted(experiment)} aborted: ${outcome.description}; every injection removed`,
          by: null,
        };
      const unit = METRIC_INFO[outcome.condition.metric].unit;
      return {
        text: `${quoted(experiment)} aborted: ${outcome.description} (reached ${round(outcome.latest)} ${unit}); every injection removed`,
        by: null,
      };
    }
    case 'halted': {
      const outcome = run?.outcome;
      const who = outcome?.kind === 'halted' ? outcome.by : (by ?? null);
      const viaAll = outcome?.kind === 'halted' && outcome.haltAll ? ' (halt all)' : '';
      const why = outcome?.kind === 'halted' && outcome.reason ? `: ${outcome.reason}` : '';
      return {
        text: `${quoted(experiment)} halted${who ? ` by ${who}` : ''}${viaAll}${why}`,
        by: who,
      };
    }
    case 'interrupted': {
      const outcome = run?.outcome;
      const reason = outcome?.kind === 'interrupted' ? `: ${outcome.reason}` : '';
      return { text: `${quoted(experiment)} interrupted${reason}`, by: null };
    }
    default:
      return null;
  }
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/** Changes of a flag's resource event that mean it was turned off (its kill switch). */
const FLAG_OFF_CHANGES = new Set(['killed', 'off', 'disabled']);

/**
 * The timeline line an event adds to a game day, or null when the event does not concern
 * it: experiment events only for its experiments, and anything only inside its window.
 */
export function timelineDraftForEvent(
  event: StreamEvent,
  at: number,
  gameday: Pick<Gameday, 'startsAt' | 'endsAt' | 'experimentIds'>,
): TimelineDraft | null {
  if (!isInWindow(gameday, at)) return null;
  switch (event.type) {
    case 'experiment': {
      if (!gameday.experimentIds.includes(event.experiment.id)) return null;
      const line = experimentLine(event.change, event.experiment, event.by);
      if (!line) return null;
      return { at, kind: event.change as TimelineKind, experimentId: event.experiment.id, ...line };
    }
    case 'halt-all': {
      const scope = [event.service, event.environment].filter(Boolean).join('/');
      const count = event.halted.length;
      return {
        at,
        kind: 'halt-all',
        experimentId: null,
        text: `${event.by} pressed halt all${scope ? ` on ${scope}` : ''}: ${count} experiment${count === 1 ? '' : 's'} stopped`,
        by: event.by,
      };
    }
    case 'resource': {
      if (event.resource !== 'flags' || !event.id || !FLAG_OFF_CHANGES.has(event.change))
        return null;
      return {
        at,
        kind: 'flag-off',
        experimentId: null,
        text: `Flag “${event.id}” turned off`,
        by: null,
      };
    }
    default:
      return null;
  }
}

/**
 * The changes of a rollout's resource event that the one abort signal makes: a chaos abort
 * holds it, halt all pauses it. A person's pause or the judge's own hold is another change.
 */
const ROLLOUT_LINK_KINDS: Partial<Record<string, TimelineKind>> = {
  held: 'rollout-held',
  paused: 'rollout-paused',
};

/**
 * The timeline line of a rollout held by a chaos abort or paused by halt all, with its reason,
 * or null when it does not concern the game day: only inside its window, and only when one of
 * its experiments is on the rollout's service in its environment (`exercised`), as a rollout
 * that halts one of its experiments shows there.
 */
export function timelineDraftForRollout(
  change: string,
  rollout: Pick<Rollout, 'spec' | 'state' | 'reason'>,
  at: number,
  gameday: Pick<Gameday, 'startsAt' | 'endsAt'>,
  exercised: readonly Pick<Experiment, 'service' | 'environment'>[],
): TimelineDraft | null {
  const kind = ROLLOUT_LINK_KINDS[change];
  if (!kind || rollout.state !== change || !isInWindow(gameday, at)) return null;
  const { service, environment } = rollout.spec;
  if (!exercised.some((e) => e.service === service && e.environment === environment)) return null;
  return {
    at,
    kind,
    experimentId: null,
    text: `Rollout “${rollout.spec.name}” (${rolloutSubject(rollout.spec)}) ${rollout.reason ?? change}`,
    by: null,
  };
}

/**
 * Timeline order: by time, then by the order they were recorded (numeric ids compare as
 * numbers), so a note typed in the same millisecond as an event stays after it.
 */
export function orderTimeline<T extends Pick<TimelineEntry, 'at' | 'id'>>(
  entries: readonly T[],
): T[] {
  return [...entries].sort(
    (a, b) => a.at - b.at || a.id.localeCompare(b.id, 'en', { numeric: true }),
  );
}
