import { useMutation, useQueryClient } from '@tanstack/react-query';
import { isApiError } from '@/backend/api-error';
import { useBackend } from '@/backend/backend-context';
import { flagKeys } from '@/backend/flags-queries';
import type { Environment } from '@/domain/environments';
import type { Flag, FlagSpec } from '@/domain/flags';

/** Turning a flag off is never given up on while the server cannot be reached: it is retried. */
const KILL_RETRIES = 6;
const retryDelayMs = (attempt: number) => Math.min(500 * 2 ** attempt, 8_000);

function useStoreFlag() {
  const queryClient = useQueryClient();
  return (flag: Flag) => {
    queryClient.setQueryData(flagKeys.flag(flag.key), flag);
    void queryClient.invalidateQueries({ queryKey: flagKeys.list });
    void queryClient.invalidateQueries({ queryKey: flagKeys.history(flag.key) });
  };
}

/** The kill switch of one flag in one environment: one press, retried until the server confirms. */
export function useKillFlag(key: string, environment: Environment) {
  const backend = useBackend();
  const store = useStoreFlag();
  return useMutation({
    mutationFn: () => backend.killFlag(key, environment),
    retry: (failures, error) => failures < KILL_RETRIES && (!isApiError(error) || error.retryable),
    retryDelay: retryDelayMs,
    onSuccess: store,
  });
}

export function useEnableFlag(key: string, environment: Environment) {
  const backend = useBackend();
  const store = useStoreFlag();
  return useMutation({ mutationFn: () => backend.enableFlag(key, environment), onSuccess: store });
}

/** Creates the flag, or saves an edit made from `version` (409 when someone saved in between). */
export function useSaveFlag(version: number | null) {
  const backend = useBackend();
  const store = useStoreFlag();
  return useMutation({
    mutationFn: (spec: FlagSpec) =>
      version === null ? backend.createFlag(spec) : backend.updateFlag(spec.key, version, spec),
    onSuccess: store,
  });
}

export function useDeleteFlag() {
  const backend = useBackend();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (flag: Flag) => backend.deleteFlag(flag.key, flag.version),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: flagKeys.flags }),
  });
}
