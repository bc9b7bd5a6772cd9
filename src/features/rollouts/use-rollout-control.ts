import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { rolloutKeys } from '@/backend/query-keys';
import { capability, useBackend } from '@/lib/backend-context';
import { useStopUntilConfirmed } from '@/components/kill-switch/use-stop-until-confirmed';
import type { Rollout, RolloutControl } from '@/domain/rollouts';

/** Puts the rollout the backend answered into the cache, and has the lists refetched. */
function useStoreRollout() {
  const queryClient = useQueryClient();
  return useCallback(
    (rollout: Rollout) => {
      queryClient.setQueryData(rolloutKeys.rollout(rollout.id), rollout);
      void queryClient.invalidateQueries({ queryKey: rolloutKeys.list });
    },
    [queryClient],
  );
}

/** Promote, promote fully, pause, resume, retry: one request, its pending state and error. */
export function useRolloutControl(id: string) {
  const backend = useBackend();
  const store = useStoreRollout();
  return useMutation({
    mutationFn: (control: RolloutControl) =>
      capability(backend, 'rollouts').controlRollout(id, control),
    onSuccess: store,
  });
}

/**
 * Abort, as in an incident: the request is sent again until the backend confirms it (a lost
 * answer must not leave the canary taking traffic), and the page says "aborted" only then.
 */
export function useAbortRollout(id: string) {
  const backend = useBackend();
  const store = useStoreRollout();
  const send = useCallback(
    (reason: string, timeoutMs: number) =>
      capability(backend, 'rollouts').controlRollout(id, 'abort', {
        timeoutMs,
        ...(reason.trim() ? { reason: reason.trim() } : {}),
      }),
    [backend, id],
  );
  const confirm = useCallback(
    (rollout: Rollout) => {
      store(rollout);
      return { state: rollout.state };
    },
    [store],
  );
  return useStopUntilConfirmed(send, confirm);
}
