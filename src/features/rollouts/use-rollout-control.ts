import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { rolloutKeys } from '@/backend/query-keys';
import { capability, useBackend } from '@/lib/backend-context';
import { useStop } from '@/lib/use-stop';
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
 * Abort, as in an incident: the one stop mutation, sent again until the backend confirms it
 * (a lost answer must not leave the canary taking traffic); the page says "aborted" only then.
 */
export function useAbortRollout(id: string) {
  const backend = useBackend();
  const store = useStoreRollout();
  return useStop({
    key: ['rollout', id],
    send: (reason: string, timeoutMs) =>
      capability(backend, 'rollouts').controlRollout(id, 'abort', {
        timeoutMs,
        ...(reason.trim() ? { reason: reason.trim() } : {}),
      }),
    onConfirmed: store,
  });
}
