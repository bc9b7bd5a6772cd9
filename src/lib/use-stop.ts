import { useMutation, useQueryClient, type MutationKey } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { isBackendError } from '@/backend/errors';
import { describeError } from '@/lib/describe-error';

/** The key every stop's mutation starts with, so all stops share one policy and one filter. */
export const STOP_KEY = ['stop'] as const;

export interface StopTiming {
  /** Wait before attempt `failures + 1`, after `failures` failed ones (ms). */
  retryDelayMs: (failures: number) => number;
  /** One attempt gives up after this long and is tried again (ms). */
  requestTimeoutMs: number;
}

const DEFAULT_STOP_TIMING: StopTiming = {
  retryDelayMs: (failures) => Math.min(500 * 2 ** (failures - 1), 5_000),
  requestTimeoutMs: 5_000,
};

/**
 * A stop is tried again for as long as trying again may help (no answer, a late answer, the
 * server failing), with no limit on the count; an answer that retrying cannot change
 * (signed out, forbidden, gone) ends it, and the query client's rules see that error (a 401
 * signs the person out).
 */
function retryStop(_failures: number, error: unknown): boolean {
  return !isBackendError(error) || error.retryable;
}

/** Where a stop stands. `confirmed` carries what the backend answered. */
export type StopStatus<Answer> =
  | { phase: 'idle' }
  | { phase: 'pending'; attempt: number; problem: string | null }
  | { phase: 'confirmed'; answer: Answer }
  | { phase: 'failed'; problem: string };

interface StopOptions<Variables, Answer> {
  /** After STOP_KEY: which stop this is (['halt-all'], ['flag', key, environment], …). */
  key: MutationKey;
  send: (variables: Variables, timeoutMs: number) => Promise<Answer>;
  /** Runs once the backend confirms, even if the page that pressed has gone (cache updates). */
  onConfirmed?: (answer: Answer, variables: Variables) => unknown;
  timing?: StopTiming;
}

/**
 * Every stop (halt one experiment, halt all, a flag's kill switch) is this one TanStack
 * mutation: pending from the press until the backend confirms, retried until it does, and
 * carried on by the mutation cache if the page that pressed it goes away. A second press
 * of the same stop while one is under way is ignored.
 */
export function useStop<Variables, Answer>({
  key,
  send,
  onConfirmed,
  timing = DEFAULT_STOP_TIMING,
}: StopOptions<Variables, Answer>) {
  const queryClient = useQueryClient();
  const keyText = JSON.stringify(key);
  const mutationKey = useMemo(
    () => [...STOP_KEY, ...(JSON.parse(keyText) as unknown[])],
    [keyText],
  );
  const mutation = useMutation({
    mutationKey,
    mutationFn: (variables: Variables) => send(variables, timing.requestTimeoutMs),
    onSuccess: onConfirmed,
    retry: retryStop,
    retryDelay: timing.retryDelayMs,
    // A stop is tried even when the browser believes it is offline: the server may be on
    // this machine (127.0.0.1), and only an answer tells.
    networkMode: 'always',
  });
  const { mutate } = mutation;

  const press = useCallback(
    (variables: Variables, onDone?: (answer: Answer) => void) => {
      if (queryClient.isMutating({ mutationKey }) > 0) return;
      mutate(variables, onDone ? { onSuccess: (answer) => onDone(answer) } : undefined);
    },
    [queryClient, mutate, mutationKey],
  );

  let status: StopStatus<Answer>;
  if (mutation.isPending) {
    status = {
      phase: 'pending',
      attempt: mutation.failureCount + 1,
      problem: mutation.failureReason ? describeError(mutation.failureReason) : null,
    };
  } else if (mutation.isSuccess) status = { phase: 'confirmed', answer: mutation.data };
  else if (mutation.isError) status = { phase: 'failed', problem: describeError(mutation.error) };
  else status = { phase: 'idle' };

  return { status, press };
}
