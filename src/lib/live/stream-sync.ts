import type { QueryClient, QueryKey } from '@tanstack/react-query';
import type { StreamEvent } from '@/domain/api';
import type { Backend } from '@/backend/backend';
import { flagKeys, queryKeys, rolloutKeys } from '@/backend/query-keys';
import { describeError } from '../describe-error';
import { applyExperiment } from '../queries/experiment-cache';
import { useConnection } from './connection-store';
import { appendSamples, markGap } from './live-metrics-store';
import { applyMetricGaps } from './metric-gaps-store';

/** Families a burst of resource events named, invalidated once when the burst is taken in. */
const families = new WeakMap<QueryClient, Map<string, QueryKey>>();

function invalidateFamily(queryClient: QueryClient, queryKey: QueryKey): void {
  let due = families.get(queryClient);
  if (!due) {
    const batch = new Map<string, QueryKey>();
    families.set(queryClient, batch);
    due = batch;
    // A macrotask: every event of a burst (ten flags killed by one halt-all) is read by then.
    setTimeout(() => {
      families.delete(queryClient);
      for (const key of batch.values()) void queryClient.invalidateQueries({ queryKey: key });
    }, 0);
  }
  due.set(JSON.stringify(queryKey), queryKey);
}

/**
 * What one stream event changes in the browser: the query cache or the live series. An event
 * that carries the change patches the cache; only what cannot be patched exactly is asked
 * again, once per burst of events.
 */
export function applyStreamEvent(queryClient: QueryClient, event: StreamEvent): void {
  switch (event.type) {
    case 'metrics':
      appendSamples(event.t, event.samples);
      applyMetricGaps(event.t, event.samples, event.gaps ?? []);
      return;
    case 'experiment':
      applyExperiment(queryClient, event.experiment, event.change === 'deleted');
      return;
    case 'halt-all':
      // Each halted experiment came as its own event just before: nothing to ask for there.
      // Killed flags are asked for once with the burst's flag events.
      if (event.flagsKilled?.length) invalidateFamily(queryClient, flagKeys.flags);
      return;
    case 'resource':
      if (event.resource === '*' || event.change === 'reset') {
        // The server could not replay what was missed: refetch everything, break the lines.
        markGap();
        void queryClient.invalidateQueries();
        return;
      }
      invalidateFamily(queryClient, [event.resource]);
      return;
  }
}

/** Opens the live stream for a signed-in session; returns the function that closes it. */
export function connectLiveUpdates(backend: Backend, queryClient: QueryClient): () => void {
  const stream = backend.live.openStream({
    onEvent: (event) => {
      useConnection.setState({ lastEventAt: Date.now() });
      applyStreamEvent(queryClient, event);
    },
    onConnection: ({ state, failures, error }) => {
      const wasLive = useConnection.getState().everLive;
      useConnection.setState({
        state,
        failures,
        problem: error ? describeError(error) : null,
        everLive: wasLive || state === 'live',
      });
      // Whatever was missed while away is refetched once the stream is back.
      if (state === 'live' && wasLive) {
        void queryClient.invalidateQueries({ queryKey: queryKeys.experiments });
        void queryClient.invalidateQueries({ queryKey: rolloutKeys.all });
      }
    },
  });
  return () => stream.close();
}
