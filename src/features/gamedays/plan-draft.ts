import type { Gameday, GamedaySpecInput, ParticipantRole } from '@/domain/gamedays';
import { fromLocalInput, toLocalInput } from './when';

/** A game day plan as the form holds it: times as the datetime inputs show them. */
export interface PlanDraft {
  title: string;
  description: string;
  startsAt: string;
  endsAt: string;
  participants: { name: string; role: ParticipantRole }[];
  experimentIds: string[];
  runbook: { id?: string; text: string; experimentId: string | null }[];
}

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/**
 * A new plan: from now (to the minute), for two hours. Starting at the next full hour left
 * what happened before it off the game day's timeline.
 */
export function blankPlan(now: number, me: string | null): PlanDraft {
  const start = Math.floor(now / MINUTE_MS) * MINUTE_MS;
  return {
    title: '',
    description: '',
    startsAt: toLocalInput(start),
    endsAt: toLocalInput(start + 2 * HOUR_MS),
    participants: me ? [{ name: me, role: 'coordinator' }] : [],
    experimentIds: [],
    runbook: [],
  };
}

export function planOf(gameday: Gameday): PlanDraft {
  return {
    title: gameday.title,
    description: gameday.description,
    startsAt: toLocalInput(gameday.startsAt),
    endsAt: toLocalInput(gameday.endsAt),
    participants: gameday.participants,
    experimentIds: gameday.experimentIds,
    runbook: gameday.runbook.map(({ id, text, experimentId }) => ({ id, text, experimentId })),
  };
}

export function specOfPlan(plan: PlanDraft): GamedaySpecInput {
  return { ...plan, startsAt: fromLocalInput(plan.startsAt), endsAt: fromLocalInput(plan.endsAt) };
}

/** Moves item `index` one place up (-1) or down (+1); out of range leaves the list as it is. */
export function move<T>(items: readonly T[], index: number, by: -1 | 1): T[] {
  const to = index + by;
  if (to < 0 || to >= items.length) return [...items];
  const next = [...items];
  const [item] = next.splice(index, 1);
  if (item !== undefined) next.splice(to, 0, item);
  return next;
}
