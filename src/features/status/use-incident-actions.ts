import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useBackend, capability } from '@/lib/backend-context';
import type { Incident } from '@/domain/incidents';
import type { UpdateStatusSettings } from '@/domain/status';
import { statusKeys } from '@/backend/query-keys';

function useStoreIncident() {
  const queryClient = useQueryClient();
  return (incident: Incident) => {
    queryClient.setQueryData<Incident[]>(statusKeys.incidents, (list) =>
      list?.map((i) => (i.id === incident.id ? incident : i)),
    );
    void queryClient.invalidateQueries({ queryKey: statusKeys.status });
  };
}

export function useAddIncidentUpdate(id: string) {
  const backend = useBackend();
  const store = useStoreIncident();
  return useMutation({
    mutationFn: (text: string) => capability(backend, 'status').addIncidentUpdate(id, text),
    onSuccess: store,
  });
}

export function useResolveIncident(id: string) {
  const backend = useBackend();
  const store = useStoreIncident();
  return useMutation({
    mutationFn: ({ version, text }: { version: number; text?: string }) =>
      capability(backend, 'status').resolveIncident(id, version, text),
    onSuccess: store,
  });
}

export function useUpdateStatusSettings() {
  const backend = useBackend();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (settings: UpdateStatusSettings) =>
      capability(backend, 'status').updateStatusSettings(settings),
    onSuccess: (settings) => queryClient.setQueryData(statusKeys.settings, settings),
  });
}
