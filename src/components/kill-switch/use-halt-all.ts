import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { HaltAllRequest, HaltAllResponse } from '@/domain/api';
import { useBackend } from '@/lib/backend-context';
import { queryKeys, flagKeys } from '@/backend/query-keys';
import {
  DEFAULT_STOP_TIMING,
  useStopUntilConfirmed,
  type StopPhase,
  type StopTiming,
} from './use-stop-until-confirmed';

export type HaltAllPhase = StopPhase<{ halted: number; flagsKilled: string[] }>;
export type HaltAllTiming = StopTiming;
export const DEFAULT_HALT_TIMING = DEFAULT_STOP_TIMING;

/** Halt all, pending until the backend confirms and retrying until it does (see useStopUntilConfirmed). */
export function useHaltAll(timing: HaltAllTiming = DEFAULT_HALT_TIMING) {
  const backend = useBackend();
  const queryClient = useQueryClient();
  const send = useCallback(
    (request: HaltAllRequest, timeoutMs: number) =>
      backend.experiments.haltAll(request, { timeoutMs }),
    [backend],
  );
  const confirm = useCallback(
    (result: HaltAllResponse) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.experiments });
      if (result.flagsKilled.length > 0)
        void queryClient.invalidateQueries({ queryKey: flagKeys.flags });
      return { halted: result.halted.length, flagsKilled: result.flagsKilled };
    },
    [queryClient],
  );
  const { status, press } = useStopUntilConfirmed(send, confirm, timing);
  return { status, haltAll: press };
}
