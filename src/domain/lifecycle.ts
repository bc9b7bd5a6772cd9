import { z } from 'zod';

export const EXPERIMENT_STATES = [
  'draft',
  'running',
  'completed',
  'aborted',
  'halted',
  'interrupted',
] as const;
export const experimentStateSchema = z.enum(EXPERIMENT_STATES);
export type ExperimentState = z.infer<typeof experimentStateSchema>;

/** The one place the allowed transitions live. A terminal state has none. */
const TRANSITIONS: Record<ExperimentState, readonly ExperimentState[]> = {
  draft: ['running'],
  running: ['completed', 'aborted', 'halted', 'interrupted'],
  completed: [],
  aborted: [],
  halted: [],
  interrupted: [],
};

export function canTransition(from: ExperimentState, to: ExperimentState): boolean {
  return TRANSITIONS[from].includes(to);
}

export function isTerminal(state: ExperimentState): boolean {
  return TRANSITIONS[state].length === 0;
}

export class TransitionError extends Error {
  constructor(
    readonly from: ExperimentState,
    readonly to: ExperimentState,
  ) {
    super(`an experiment that is ${from} cannot become ${to}`);
    this.name = 'TransitionError';
  }
}

/** Returns `to` when the move is allowed, throws TransitionError otherwise. */
export function transition(from: ExperimentState, to: ExperimentState): ExperimentState {
  if (!canTransition(from, to)) throw new TransitionError(from, to);
  return to;
}
