import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { describeError, isApiError } from '@/backend/api-error';
import { useBackend } from '@/backend/backend-context';
import { flagKeys } from '@/backend/flags-queries';
import { DEFAULT_HALT_TIMING, type HaltAllTiming } from '@/components/kill-switch/use-halt-all';
import type { Environment } from '@/domain/environments';

export type TurnOffPhase =
  | { phase: 'idle' }
  | { phase: 'pending'; attempt: number }
  | { phase: 'retrying'; attempt: number; problem: string }
  | { phase: 'confirmed' }
  | { phase: 'failed'; problem: string };

/**
 * A flag's kill switch as the monitor presses it: pending until the backend confirms the
 * flag is off, retrying (with the kill switch's timing) through network trouble; it gives up
 * only on an answer that retrying cannot change.
 */
export function useTurnFlagOff(flagKey: string, environment: Environment, timing: HaltAllTiming = DEFAULT_HALT_TIMING) {
  const backend = useBackend();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<TurnOffPhase>({ phase: 'idle' });
  const run = useRef(0);
  const busy = useRef(false);

  useEffect(
    () => () => {
      run.current++;
    },
    [],
  );

  const turnOff = useCallback(async () => {
    if (busy.current) return;
    busy.current = true;
    const id = ++run.current;
    const current = () => run.current === id;
    try {
      for (let attempt = 1; current(); attempt++) {
        setStatus({ phase: 'pending', attempt });
        try {
          const flag = await backend.killFlag(flagKey, environment, { timeoutMs: timing.requestTimeoutMs });
          if (!current()) return;
          queryClient.setQueryData(flagKeys.flag(flagKey), flag);
          void queryClient.invalidateQueries({ queryKey: flagKeys.flags });
          setStatus({ phase: 'confirmed' });
          return;
        } catch (error) {
          if (!current()) return;
          if (isApiError(error) && !error.retryable) {
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
  }, [backend, queryClient, flagKey, environment, timing]);

  return { status, turnOff };
}
