import { queryOptions } from '@tanstack/react-query';
import type { Backend } from '@/backend/backend';
import { statusKeys } from '@/backend/query-keys';
import { capability } from '../backend-context';
import type { StatusCapability } from '@/backend/backend';

/** What the public status page reads: only the status document. */
export type StatusSource = Pick<StatusCapability, 'status'>;

/** How often the public status page asks again, in ms: it has no stream (it needs no sign-in). */
export const STATUS_REFRESH_MS = 5_000;

export const statusPageQuery = (source: StatusSource, shareToken: string | null) =>
  queryOptions({
    queryKey: statusKeys.page(shareToken),
    queryFn: ({ signal }) => source.status(shareToken, { signal }),
    refetchInterval: STATUS_REFRESH_MS,
    // A wall screen stays on for days: keep refreshing when the tab is in the background too.
    refetchIntervalInBackground: true,
    staleTime: 0,
  });

export const statusSettingsQuery = (backend: Backend) =>
  queryOptions({
    queryKey: statusKeys.settings,
    queryFn: () => capability(backend, 'status').statusSettings(),
    staleTime: 30_000,
  });

/** Incidents stay fresh through the stream (`resource: incidents` invalidates them). */
export const incidentListQuery = (backend: Backend) =>
  queryOptions({
    queryKey: statusKeys.incidents,
    queryFn: () => capability(backend, 'status').listIncidents(),
    staleTime: 30_000,
  });
