import { QueryClient } from '@tanstack/react-query';
import { afterEach, describe, expect, it } from 'vitest';
import { getSeries, resetLiveMetrics } from '@/lib/live/live-metrics-store';
import { queryKeys } from '@/backend/query-keys';
import { applyStreamEvent } from '@/lib/live/stream-sync';
import type { Experiment } from '@/domain/experiment';
import { seriesKey } from '@/domain/metrics';
import { cpuExperiment, runningExperiment, sample } from '../backend/fixtures';

afterEach(() => resetLiveMetrics());

function cacheWith(list: Experiment[]) {
  const queryClient = new QueryClient();
  queryClient.setQueryData(queryKeys.experimentList({}), list);
  queryClient.setQueryData(queryKeys.experimentList({ state: 'running' }), []);
  return queryClient;
}

describe('stream events in the browser', () => {
  it('put an experiment event into its cache entry and every list holding it', () => {
    const draft = cpuExperiment();
    const queryClient = cacheWith([draft]);
    const started = runningExperiment(Date.now(), {
      id: draft.id,
      lineageId: draft.id,
      version: 2,
    });
    applyStreamEvent(queryClient, { type: 'experiment', change: 'started', experiment: started });
    expect(queryClient.getQueryData(queryKeys.experiment(draft.id))).toEqual(started);
    expect(queryClient.getQueryData<Experiment[]>(queryKeys.experimentList({}))?.[0]?.state).toBe(
      'running',
    );
    // The running list did not hold it: it is refetched to learn its new members.
    expect(
      queryClient.getQueryState(queryKeys.experimentList({ state: 'running' }))?.isInvalidated,
    ).toBe(true);
  });

  it('remove a deleted experiment', () => {
    const draft = cpuExperiment();
    const queryClient = cacheWith([draft]);
    queryClient.setQueryData(queryKeys.experiment(draft.id), draft);
    applyStreamEvent(queryClient, { type: 'experiment', change: 'deleted', experiment: draft });
    expect(queryClient.getQueryData(queryKeys.experiment(draft.id))).toBeUndefined();
    expect(queryClient.getQueryData(queryKeys.experimentList({}))).toEqual([]);
  });

  it('invalidate the family a resource event names, and nothing else', () => {
    const queryClient = cacheWith([]);
    queryClient.setQueryData(['flags', 'list'], []);
    applyStreamEvent(queryClient, { type: 'resource', resource: 'flags', change: 'updated' });
    expect(queryClient.getQueryState(['flags', 'list'])?.isInvalidated).toBe(true);
    expect(queryClient.getQueryState(queryKeys.experimentList({}))?.isInvalidated).toBe(false);
  });

  it('refetch everything and break the lines on a reset', () => {
    const queryClient = cacheWith([]);
    const t = Date.now();
    applyStreamEvent(queryClient, { type: 'metrics', t, samples: [sample(t, 'all')] });
    applyStreamEvent(queryClient, { type: 'resource', resource: '*', change: 'reset' });
    expect(queryClient.getQueryState(queryKeys.experimentList({}))?.isInvalidated).toBe(true);
    const series = getSeries(
      seriesKey({ service: 'checkout', environment: 'staging', group: 'all' }),
    )!;
    expect(series.isGap(series.length - 1)).toBe(true);
  });
});
