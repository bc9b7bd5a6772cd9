import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { HaltAllRequest } from '@/domain/api';
import { describeError, isApiError } from '@/backend/api-error';
import { useBackend } from '@/backend/backend-context';
import { flagKeys } from '@/backend/flags-queries';
import { queryKeys } from '@/backend/query-keys';

export type HaltAllPhase =
  | { phase: 'idle' }
  | { phase: 'pending'; attempt: number }
  | { phase: 'retrying'; attempt: number; problem: string }
  | { phase: 'confirmed'; halted: number; flagsKilled: number }
  | { phase: 'failed'; problem: string };

export interface HaltAllTiming {
  /** Wait before attempt `attempt + 1` (ms). */
  retryDelayMs: (attempt: number) => number;
  /** One attempt gives up after this long and is retried (ms). */
  requestTimeoutMs: number;
}

export const DEFAULT_HALT_TIMING: HaltAllTiming = {
  retryDelayMs: (attempt) => Math.min(500 * 2 ** (attempt - 1), 5_000),
  requestTimeoutMs: 5_000,
};

/**
 * Halt all as a small state machine: idle → pending → confirmed, or pending → retrying →
 * pending … until the backend confirms. It never reports a halt the backend has not
 * answered; it gives up only on an answer that retrying cannot change (signed out).
 */
export function useHaltAll(timing: HaltAllTiming = DEFAULT_HALT_TIMING) {
  const backend = useBackend();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<HaltAllPhase>({ phase: 'idle' });
  const run = useRef(0);
  const busy = useRef(false);

  useEffect(
    () => () => {
      run.current++;
    },
    [],
  );

  const haltAll = useCallback(
    async (request: HaltAllRequest) => {
      if (busy.current) return;
      busy.current = true;
      const id = ++run.current;
      const current = () => run.current === id;
      try {
        for (let attempt = 1; current(); attempt++) {
          setStatus({ phase: 'pending', attempt });
          try {
            const result = await backend.haltAll(request, { timeoutMs: timing.requestTimeoutMs });
            if (!current()) return;
            setStatus({ phase: 'confirmed', halted: result.halted.length, flagsKilled: result.flagsKilled.length });
            void queryClient.invalidateQueries({ queryKey: queryKeys.experiments });
            if (result.flagsKilled.length > 0) void queryClient.invalidateQueries({ queryKey: flagKeys.flags });
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
    },
    [backend, queryClient, timing],
  );

  return { status, haltAll };
}
