import { useQueryClient } from '@tanstack/react-query';
import { useBackend, capability } from '@/lib/backend-context';
import { useStop, type StopTiming } from '@/lib/use-stop';
import type { Environment } from '@/domain/environments';
import type { Flag, FlagState } from '@/domain/flags';
import { flagKeys } from '@/backend/query-keys';

interface FlagSwitchRequest {
  state: FlagState;
  comment: string;
}

/**
 * Switching a flag off (its kill switch) or on in one environment, as the one stop mutation:
 * pending until the backend confirms, retried until it does, given up only on an answer
 * retrying cannot change.
 */
export function useFlagSwitch(flagKey: string, environment: Environment, timing?: StopTiming) {
  const backend = useBackend();
  const queryClient = useQueryClient();
  return useStop({
    key: ['flag', flagKey, environment],
    send: ({ state, comment }: FlagSwitchRequest, timeoutMs) =>
      state === 'off'
        ? capability(backend, 'flags').killFlag(flagKey, environment, { timeoutMs, comment })
        : capability(backend, 'flags').enableFlag(flagKey, environment, { timeoutMs, comment }),
    onConfirmed: (flag: Flag) => {
      queryClient.setQueryData(flagKeys.flag(flagKey), flag);
      void queryClient.invalidateQueries({ queryKey: flagKeys.flags });
    },
    ...(timing ? { timing } : {}),
  });
}
