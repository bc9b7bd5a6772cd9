import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useBackend } from '@/backend/backend-context';
import { gamedayKeys } from '@/backend/gamedays-queries';
import type { Gameday, GamedaySpecInput, WriteFindings } from '@/domain/gamedays';
import { orderTimeline, type TimelineEntry } from '@/domain/gamedays-timeline';

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
    mutationFn: (spec: GamedaySpecInput) => backend.createGameday(spec),
    onSuccess: store,
  });
}

export function useUpdateGameday(id: string) {
  const backend = useBackend();
  const store = useStoreGameday();
  return useMutation({
    mutationFn: ({ version, spec }: { version: number; spec: GamedaySpecInput }) =>
      backend.updateGameday(id, version, spec),
    onSuccess: store,
  });
}

export function useTickStep(id: string) {
  const backend = useBackend();
  const store = useStoreGameday();
  return useMutation({
    mutationFn: ({ stepId, done }: { stepId: string; done: boolean }) =>
      backend.tickRunbookStep(id, stepId, done),
    onSuccess: store,
  });
}

export function useAddNote(id: string) {
  const backend = useBackend();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (text: string) => backend.addGamedayNote(id, text),
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
    mutationFn: (findings: WriteFindings) => backend.writeFindings(id, findings),
    onSuccess: store,
  });
}
