import { useCallback, useEffect, useRef, useState } from 'react';
import { isBackendError } from '@/backend/errors';
import { describeError } from '@/lib/describe-error';

/** Where a stop stands. `confirmed` carries what the backend answered, as the caller sums it up. */
export type StopPhase<Confirmed extends object = object> =
  | { phase: 'idle' }
  | { phase: 'pending'; attempt: number }
  | { phase: 'retrying'; attempt: number; problem: string }
  | ({ phase: 'confirmed' } & Confirmed)
  | { phase: 'failed'; problem: string };

export interface StopTiming {
  /** Wait before attempt `attempt + 1` (ms). */
  retryDelayMs: (attempt: number) => number;
  /** One attempt gives up after this long and is retried (ms). */
  requestTimeoutMs: number;
}

export const DEFAULT_STOP_TIMING: StopTiming = {
  retryDelayMs: (attempt) => Math.min(500 * 2 ** (attempt - 1), 5_000),
  requestTimeoutMs: 5_000,
};

/**
 * A stop (halt all, a flag's kill switch) as a small state machine: idle → pending →
 * confirmed, or pending → retrying → pending … until the backend confirms. It never reports
 * a stop the backend has not answered; it gives up only on an answer that retrying cannot
 * change (signed out, forbidden). A second press while one is under way is ignored.
 */
export function useStopUntilConfirmed<Request, Answer, Confirmed extends object>(
  send: (request: Request, timeoutMs: number) => Promise<Answer>,
  confirm: (answer: Answer) => Confirmed,
  timing: StopTiming = DEFAULT_STOP_TIMING,
) {
  const [status, setStatus] = useState<StopPhase<Confirmed>>({ phase: 'idle' });
  const run = useRef(0);
  const busy = useRef(false);

  // An unmounted page stops retrying.
  useEffect(
    () => () => {
      run.current++;
    },
    [],
  );

  const press = useCallback(
    async (request: Request) => {
      if (busy.current) return;
      busy.current = true;
      const id = ++run.current;
      const current = () => run.current === id;
      try {
        for (let attempt = 1; current(); attempt++) {
          setStatus({ phase: 'pending', attempt });
          try {
            const answer = await send(request, timing.requestTimeoutMs);
            if (!current()) return;
            setStatus({ phase: 'confirmed', ...confirm(answer) });
            return;
          } catch (error) {
            if (!current()) return;
            if (isBackendError(error) && !error.retryable) {
              setStatus({ phase: 'failed', problem: describeError(error) });
              return;
            }
            setStatus({ phase: 'retrying', attempt, problem: describeError(error) });
            await new Promise((resolve) => setTimeout(resolve, timing.retryDelayMs(attempt)));
          }
        }
      } finally {
        busy.current = false;
      }
    },
    [send, confirm, timing],
  );

  return { status, press };
}
