import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useBackend } from '@/backend/backend-context';
import { statusKeys } from '@/backend/status-queries';
import type { Incident } from '@/domain/incidents';
import type { UpdateStatusSettings } from '@/domain/status';

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
    mutationFn: (text: string) => backend.addIncidentUpdate(id, text),
    onSuccess: store,
  });
}

export function useResolveIncident(id: string) {
  const backend = useBackend();
  const store = useStoreIncident();
  return useMutation({
    mutationFn: ({ version, text }: { version: number; text?: string }) =>
      backend.resolveIncident(id, version, text),
    onSuccess: store,
  });
}

export function useUpdateStatusSettings() {
  const backend = useBackend();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (settings: UpdateStatusSettings) => backend.updateStatusSettings(settings),
    onSuccess: (settings) => queryClient.setQueryData(statusKeys.settings, settings),
  });
}
