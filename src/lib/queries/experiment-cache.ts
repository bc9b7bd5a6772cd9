import type { Query, QueryClient, QueryKey } from '@tanstack/react-query';
import type { ExperimentFilter } from '@/backend/backend';
import { queryKeys } from '@/backend/query-keys';
import type { Experiment } from '@/domain/experiment';

/**
 * Puts an experiment into its cache entry unless the entry already holds a newer version:
 * the stream and a request's answer race, and a start answered after the stream carried the
 * abort must not bring back "running".
 */
function storeExperiment(queryClient: QueryClient, experiment: Experiment): void {
  queryClient.setQueryData<Experiment>(queryKeys.experiment(experiment.id), (cached) =>
    cached && cached.version > experiment.version ? cached : experiment,
  );
}

/** Whether the backend's list for `filter` holds this experiment. */
function matchesFilter(experiment: Experiment, filter: ExperimentFilter): boolean {
  return (
    (filter.environment === undefined || experiment.environment === filter.environment) &&
    (filter.state === undefined || experiment.state === filter.state) &&
    (filter.lineageId === undefined || experiment.lineageId === filter.lineageId)
  );
}

interface ListRefetches {
  /** Lists to ask again once the events arriving together have all been taken in. */
  due: Map<string, { queryKey: QueryKey; versions: Map<string, number> }>;
  /** For a list whose request is on its way: the experiment versions known when it was sent. */
  sentAfter: Map<string, Map<string, number>>;
  scheduled: boolean;
}

const refetches = new WeakMap<QueryClient, ListRefetches>();

function refetchesOf(queryClient: QueryClient): ListRefetches {
  let state = refetches.get(queryClient);
  if (!state) {
    state = { due: new Map(), sentAfter: new Map(), scheduled: false };
    refetches.set(queryClient, state);
  }
  return state;
}

/**
 * Asks each due list once. A list still waiting for its first answer cannot be patched, and
 * invalidating it alone would only wait for that answer, which may predate the change: that
 * request is dropped and the list asked again.
 */
function sendDue(queryClient: QueryClient, state: ListRefetches): void {
  state.scheduled = false;
  const due = [...state.due];
  state.due.clear();
  for (const [hash, { queryKey, versions }] of due) {
    const query = queryClient.getQueryCache().get(hash);
    if (query?.state.data === undefined && query?.state.fetchStatus === 'fetching')
      void query.cancel({ silent: true });
    state.sentAfter.set(hash, versions);
    void queryClient.invalidateQueries({ queryKey, exact: true }).finally(() => {
      if (state.sentAfter.get(hash) === versions) state.sentAfter.delete(hash);
    });
  }
}

/** Queues one request for a list; the events of one burst (a halt-all's) share it. */
function refetchList(queryClient: QueryClient, query: Query, experiment: Experiment): void {
  const state = refetchesOf(queryClient);
  // A request sent after this version was known answers with it (or newer) already.
  const sent = state.sentAfter.get(query.queryHash);
  const inFlight = query.state.fetchStatus === 'fetching';
  if (inFlight && (sent?.get(experiment.id) ?? -1) >= experiment.version) return;
  const entry = state.due.get(query.queryHash) ?? {
    queryKey: query.queryKey,
    versions: new Map(sent ?? []),
  };
  entry.versions.set(
    experiment.id,
    Math.max(entry.versions.get(experiment.id) ?? -1, experiment.version),
  );
  state.due.set(query.queryHash, entry);
  if (state.scheduled) return;
  state.scheduled = true;
  // A macrotask: a burst of events read in several chunks is still one burst.
  setTimeout(() => sendDue(queryClient, state), 0);
}

/**
 * Takes in a changed (or deleted) experiment, from the stream or from a request's answer.
 * Every cached list that can be patched exactly is patched and not asked again: an entry is
 * replaced, or removed when it no longer belongs. Only a list that gains a member is asked
 * again (where it goes in the order is the backend's business), once per burst of events.
 */
export function applyExperiment(
  queryClient: QueryClient,
  experiment: Experiment,
  removed = false,
): void {
  if (removed)
    queryClient.removeQueries({ queryKey: queryKeys.experiment(experiment.id), exact: true });
  else storeExperiment(queryClient, experiment);

  for (const query of queryClient
    .getQueryCache()
    .findAll({ queryKey: queryKeys.experimentLists })) {
    const filter = (query.queryKey[2] ?? {}) as ExperimentFilter;
    const belongs = !removed && matchesFilter(experiment, filter);
    const list = query.state.data as Experiment[] | undefined;
    if (list === undefined) {
      if (belongs || query.state.fetchStatus === 'fetching')
        refetchList(queryClient, query, experiment);
      continue;
    }
    const held = list.find((e) => e.id === experiment.id);
    if (!held) {
      if (belongs) refetchList(queryClient, query, experiment);
      continue;
    }
    if (held.version > experiment.version) continue;
    queryClient.setQueryData<Experiment[]>(query.queryKey, (current) =>
      current?.flatMap((e) => (e.id !== experiment.id ? [e] : belongs ? [experiment] : [])),
    );
  }
}
