import type { QueryClient } from '@tanstack/react-query';
import type { StreamEvent } from '@/domain/api';
import type { Experiment } from '@/domain/experiment';
import type { Backend } from '@/backend/backend';
import { queryKeys, rolloutKeys } from '@/backend/query-keys';
import { describeError } from '../describe-error';
import { refetchExperimentLists, storeExperiment } from '../queries/experiment-cache';
import { useConnection } from './connection-store';
import { appendSamples, markGap } from './live-metrics-store';
import { applyMetricGaps } from './metric-gaps-store';

/** Puts an experiment the stream carried into every cached list that holds it. */
function patchLists(queryClient: QueryClient, experiment: Experiment, removed: boolean): void {
  queryClient.setQueriesData<Experiment[]>({ queryKey: queryKeys.experimentLists }, (list) => {
    if (!list) return list;
    if (removed) return list.filter((e) => e.id !== experiment.id);
    return list.map((e) =>
      e.id === experiment.id && e.version <= experiment.version ? experiment : e,
    );
  });
}

/** What one stream event changes in the browser: the query cache or the live series. */
export function applyStreamEvent(queryClient: QueryClient, event: StreamEvent): void {
  switch (event.type) {
    case 'metrics':
      appendSamples(event.t, event.samples);
      applyMetricGaps(event.t, event.samples, event.gaps ?? []);
      return;
    case 'experiment': {
      const removed = event.change === 'deleted';
      if (removed)
        queryClient.removeQueries({
          queryKey: queryKeys.experiment(event.experiment.id),
          exact: true,
        });
      else storeExperiment(queryClient, event.experiment);
      patchLists(queryClient, event.experiment, removed);
      // Membership of filtered lists (state, environment) may have changed.
      void refetchExperimentLists(queryClient);
      return;
    }
    case 'halt-all':
      void queryClient.invalidateQueries({ queryKey: queryKeys.experiments });
      return;
    case 'resource':
      if (event.resource === '*' || event.change === 'reset') {
        // The server could not replay what was missed: refetch everything, break the lines.
        markGap();
        void queryClient.invalidateQueries();
        return;
      }
      void queryClient.invalidateQueries({ queryKey: [event.resource] });
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
