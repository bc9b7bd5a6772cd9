import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useBackend, capability } from '@/lib/backend-context';
import type { Flag, FlagSpec } from '@/domain/flags';
import { flagKeys } from '@/backend/query-keys';

function useStoreFlag() {
  const queryClient = useQueryClient();
  return (flag: Flag) => {
    queryClient.setQueryData(flagKeys.flag(flag.key), flag);
    void queryClient.invalidateQueries({ queryKey: flagKeys.list });
    void queryClient.invalidateQueries({ queryKey: flagKeys.history(flag.key) });
  };
}

/** Creates the flag, or saves an edit made from `version` (409 when someone saved in between). */
export function useSaveFlag(version: number | null) {
  const backend = useBackend();
  const store = useStoreFlag();
  return useMutation({
    mutationFn: (spec: FlagSpec) =>
      version === null
        ? capability(backend, 'flags').createFlag(spec)
        : capability(backend, 'flags').updateFlag(spec.key, version, spec),
    onSuccess: store,
  });
}

export function useDeleteFlag() {
  const backend = useBackend();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (flag: Flag) => capability(backend, 'flags').deleteFlag(flag.key, flag.version),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: flagKeys.flags }),
  });
}
