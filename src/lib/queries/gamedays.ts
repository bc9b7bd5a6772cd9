import { queryOptions } from '@tanstack/react-query';
import type { Backend } from '@/backend/backend';
import { gamedayKeys } from '@/backend/query-keys';
import { capability } from '../backend-context';

export const gamedayListQuery = (backend: Backend) =>
  queryOptions({
    queryKey: gamedayKeys.list,
    queryFn: () => capability(backend, 'gamedays').listGamedays(),
    staleTime: 30_000,
  });

export const gamedayQuery = (backend: Backend, id: string) =>
  queryOptions({
    queryKey: gamedayKeys.gameday(id),
    queryFn: () => capability(backend, 'gamedays').getGameday(id),
    staleTime: 30_000,
  });

export const gamedayTimelineQuery = (backend: Backend, id: string) =>
  queryOptions({
    queryKey: gamedayKeys.timeline(id),
    queryFn: () => capability(backend, 'gamedays').gamedayTimeline(id),
    staleTime: 30_000,
  });
