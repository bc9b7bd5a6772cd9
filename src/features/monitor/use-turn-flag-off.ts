import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useBackend } from '@/backend/backend-context';
import { flagKeys } from '@/backend/flags-queries';
import {
  DEFAULT_STOP_TIMING,
  useStopUntilConfirmed,
  type StopPhase,
  type StopTiming,
} from '@/components/kill-switch/use-stop-until-confirmed';
import type { Environment } from '@/domain/environments';
import type { Flag } from '@/domain/flags';

export type TurnOffPhase = StopPhase;

/**
 * A flag's kill switch as the monitor presses it: pending until the backend confirms the
 * flag is off, retrying (with the kill switch's timing) through network trouble; it gives up
 * only on an answer that retrying cannot change.
 */
export function useTurnFlagOff(
  flagKey: string,
  environment: Environment,
  timing: StopTiming = DEFAULT_STOP_TIMING,
) {
  const backend = useBackend();
  const queryClient = useQueryClient();
  const send = useCallback(
    (_: void, timeoutMs: number) => backend.killFlag(flagKey, environment, { timeoutMs }),
    [backend, flagKey, environment],
  );
  const confirm = useCallback(
    (flag: Flag) => {
      queryClient.setQueryData(flagKeys.flag(flagKey), flag);
      void queryClient.invalidateQueries({ queryKey: flagKeys.flags });
      return {};
    },
    [queryClient, flagKey],
  );
  const { status, press } = useStopUntilConfirmed(send, confirm, timing);
  return { status, turnOff: () => press() };
}
