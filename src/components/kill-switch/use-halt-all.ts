import { useQueryClient } from '@tanstack/react-query';
import type { HaltAllRequest, HaltAllResponse } from '@/domain/api';
import { useBackend } from '@/lib/backend-context';
import { useConnection } from '@/lib/live/connection-store';
import { useStop, type StopStatus, type StopTiming } from '@/lib/use-stop';
import { queryKeys, flagKeys } from '@/backend/query-keys';

export type HaltAllStatus = StopStatus<HaltAllResponse>;

/** Halt all, as the one stop mutation: pending until the backend confirms, retried until it does. */
export function useHaltAll(timing?: StopTiming) {
  const backend = useBackend();
  const queryClient = useQueryClient();
  const { status, press } = useStop({
    key: ['halt-all'],
    send: (request: HaltAllRequest, timeoutMs) =>
      backend.experiments.haltAll(request, { timeoutMs }),
    // The answer names only ids; the live stream carries each halted experiment and killed
    // flag and patches the cache. Without a live stream, the lists are asked again. Not
    // awaited: the confirmation shows at once, the lists catch up behind it.
    onConfirmed: (result: HaltAllResponse) => {
      if (useConnection.getState().state === 'live') return;
      void queryClient.invalidateQueries({ queryKey: queryKeys.experiments });
      if (result.flagsKilled.length > 0)
        void queryClient.invalidateQueries({ queryKey: flagKeys.flags });
    },
    ...(timing ? { timing } : {}),
  });
  return { status, haltAll: press };
}
