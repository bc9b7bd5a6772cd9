import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useBackend, capability } from '@/lib/backend-context';
import {
  DEFAULT_STOP_TIMING,
  useStopUntilConfirmed,
  type StopTiming,
} from '@/components/kill-switch/use-stop-until-confirmed';
import type { Environment } from '@/domain/environments';
import type { Flag, FlagState } from '@/domain/flags';
import { flagKeys } from '@/backend/query-keys';

export interface FlagSwitchRequest {
  state: FlagState;
  comment: string;
}

/**
 * Switching a flag off (its kill switch) or on in one environment, as one immediate action:
 * pending until the backend confirms, retried through network trouble (the stop hook's
 * timing), given up only on an answer retrying cannot change.
 */
export function useFlagSwitch(
  flagKey: string,
  environment: Environment,
  onSwitched?: (flag: Flag) => void,
  timing: StopTiming = DEFAULT_STOP_TIMING,
) {
  const backend = useBackend();
  const queryClient = useQueryClient();
  const send = useCallback(
    ({ state, comment }: FlagSwitchRequest, timeoutMs: number) =>
      state === 'off'
        ? capability(backend, 'flags').killFlag(flagKey, environment, { timeoutMs, comment })
        : capability(backend, 'flags').enableFlag(flagKey, environment, { timeoutMs, comment }),
    [backend, flagKey, environment],
  );
  const confirm = useCallback(
    (flag: Flag) => {
      queryClient.setQueryData(flagKeys.flag(flagKey), flag);
      void queryClient.invalidateQueries({ queryKey: flagKeys.flags });
      onSwitched?.(flag);
      return { state: flag.environments[environment].state };
    },
    [queryClient, flagKey, environment, onSwitched],
  );
  return useStopUntilConfirmed(send, confirm, timing);
}
