import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useBackend, capability } from '@/lib/backend-context';
import type { Gameday, GamedaySpecInput, WriteFindings } from '@/domain/gamedays';
import { orderTimeline, type TimelineEntry } from '@/domain/gamedays-timeline';
import { gamedayKeys } from '@/backend/query-keys';

/** After a write the answer is the new game day: put it in the cache, refresh the lists. */
function useStoreGameday() {
  const queryClient = useQueryClient();
  return (gameday: Gameday) => {
    queryClient.setQueryData(gamedayKeys.gameday(gameday.id), gameday);
    void queryClient.invalidateQueries({ queryKey: gamedayKeys.list });
  };
}

export function useCreateGameday() {
  const backend = useBackend();
  const store = useStoreGameday();
  return useMutation({
    mutationFn: (spec: GamedaySpecInput) => capability(backend, 'gamedays').createGameday(spec),
    onSuccess: store,
  });
}

export function useUpdateGameday(id: string) {
  const backend = useBackend();
  const store = useStoreGameday();
  return useMutation({
    mutationFn: ({ version, spec }: { version: number; spec: GamedaySpecInput }) =>
      capability(backend, 'gamedays').updateGameday(id, version, spec),
    onSuccess: store,
  });
}

export function useTickStep(id: string) {
  const backend = useBackend();
  const store = useStoreGameday();
  return useMutation({
    mutationFn: ({ stepId, done }: { stepId: string; done: boolean }) =>
      capability(backend, 'gamedays').tickRunbookStep(id, stepId, done),
    onSuccess: store,
  });
}

export function useAddNote(id: string) {
  const backend = useBackend();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (text: string) => capability(backend, 'gamedays').addGamedayNote(id, text),
    onSuccess: (note) =>
      queryClient.setQueryData<TimelineEntry[]>(gamedayKeys.timeline(id), (entries) =>
        entries ? orderTimeline([...entries.filter((e) => e.id !== note.id), note]) : [note],
      ),
  });
}

export function useWriteFindings(id: string) {
  const backend = useBackend();
  const store = useStoreGameday();
  return useMutation({
    mutationFn: (findings: WriteFindings) =>
      capability(backend, 'gamedays').writeFindings(id, findings),
    onSuccess: store,
  });
}
