import { queryOptions } from '@tanstack/react-query';
import type { Backend } from './backend';

/** Under ['gamedays']: the stream's `resource: gamedays` events invalidate the whole family. */
export const gamedayKeys = {
  all: ['gamedays'] as const,
  list: ['gamedays', 'list'] as const,
  gameday: (id: string) => ['gamedays', id] as const,
  timeline: (id: string) => ['gamedays', id, 'timeline'] as const,
};

export const gamedayListQuery = (backend: Backend) =>
  queryOptions({
    queryKey: gamedayKeys.list,
    queryFn: () => backend.listGamedays(),
    staleTime: 30_000,
  });

export const gamedayQuery = (backend: Backend, id: string) =>
  queryOptions({
    queryKey: gamedayKeys.gameday(id),
    queryFn: () => backend.getGameday(id),
    staleTime: 30_000,
  });

export const gamedayTimelineQuery = (backend: Backend, id: string) =>
  queryOptions({
    queryKey: gamedayKeys.timeline(id),
    queryFn: () => backend.gamedayTimeline(id),
    staleTime: 30_000,
  });
