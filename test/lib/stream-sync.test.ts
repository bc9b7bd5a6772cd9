import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { getSeries, resetLiveMetrics } from '@/lib/live/live-metrics-store';
import type { ExperimentFilter } from '@/backend/backend';
import { queryKeys } from '@/backend/query-keys';
import { applyExperiment } from '@/lib/queries/experiment-cache';
import { applyStreamEvent } from '@/lib/live/stream-sync';
import type { Experiment } from '@/domain/experiment';
import { seriesKey } from '@/domain/metrics';
import { cpuExperiment, runningExperiment, sample } from '../backend/fixtures';

afterEach(() => resetLiveMetrics());

/** Lists due to be asked again go out in the macrotask after the events that made them due. */
const burstTakenIn = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A client whose lists are on screen (observed), each answering `answer(filter)`. */
function observedLists(
  filters: ExperimentFilter[],
  answer: (filter: ExperimentFilter) => Experiment[] | Promise<Experiment[]>,
) {
  const queryClient = new QueryClient();
  const asked: string[] = [];
  const observers = filters.map((filter) => {
    const observer = new QueryObserver(queryClient, {
      queryKey: queryKeys.experimentList(filter),
      queryFn: () => {
        asked.push(JSON.stringify(filter));
        return answer(filter);
      },
      staleTime: Number.POSITIVE_INFINITY,
    });
    return { observer, stop: observer.subscribe(() => {}) };
  });
  return {
    queryClient,
    asked,
    stop: () => observers.forEach((o) => o.stop()),
    settled: () => vi.waitFor(() => expect(queryClient.isFetching()).toBe(0)).then(burstTakenIn),
  };
}

function cacheWith(list: Experiment[]) {
  const queryClient = new QueryClient();
  queryClient.setQueryData(queryKeys.experimentList({}), list);
  queryClient.setQueryData(queryKeys.experimentList({ state: 'running' }), []);
  return queryClient;
}

describe('stream events in the browser', () => {
  it('put an experiment event into its cache entry and every list holding it', async () => {
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
    // The running list did not hold it: it is asked again, once the burst is taken in.
    await burstTakenIn();
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

  it('invalidate the family a resource event names, and nothing else', async () => {
    const queryClient = cacheWith([]);
    queryClient.setQueryData(['flags', 'list'], []);
    applyStreamEvent(queryClient, { type: 'resource', resource: 'flags', change: 'updated' });
    await burstTakenIn();
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

  it('patch the lists a halt takes experiments out of, and ask once for the list they join', async () => {
    const held = [1, 2, 3].map((n) =>
      runningExperiment(Date.now(), { id: `exp-${n}`, lineageId: `exp-${n}`, version: 2 }),
    );
    let halted: Experiment[] = [];
    const lists = observedLists(
      [{}, { state: 'running' }, { state: 'halted' }, { state: 'aborted' }],
      (filter) =>
        filter.state === 'halted'
          ? halted
          : filter.state === 'aborted'
            ? []
            : filter.state === 'running'
              ? held
              : held,
    );
    await lists.settled();
    lists.asked.length = 0;

    halted = held.map((e) => ({ ...e, state: 'halted' as const, version: 3 }));
    for (const experiment of halted)
      applyStreamEvent(lists.queryClient, { type: 'experiment', change: 'halted', experiment });
    applyStreamEvent(lists.queryClient, {
      type: 'halt-all',
      by: 'sam',
      halted: halted.map((e) => e.id),
    });
    await lists.settled();

    expect(lists.asked).toEqual([JSON.stringify({ state: 'halted' })]);
    const data = (filter: ExperimentFilter) =>
      lists.queryClient.getQueryData<Experiment[]>(queryKeys.experimentList(filter));
    expect(data({ state: 'running' })).toEqual([]);
    expect(data({})?.map((e) => e.state)).toEqual(['halted', 'halted', 'halted']);
    expect(data({ state: 'halted' })).toEqual(halted);
    lists.stop();
  });

  it('ask once for a list that gains an experiment both an answer and the stream bring', async () => {
    const draft = cpuExperiment();
    const started = runningExperiment(Date.now(), {
      id: draft.id,
      lineageId: draft.id,
      version: 2,
    });
    let running: Experiment[] = [];
    let gate: Promise<void> = Promise.resolve();
    const lists = observedLists([{ state: 'running' }], async () => {
      const answer = running;
      await gate;
      return answer;
    });
    await lists.settled();
    lists.asked.length = 0;

    running = [started];
    let answer = () => {};
    gate = new Promise((resolve) => (answer = resolve));
    applyExperiment(lists.queryClient, started); // the start's answer
    await burstTakenIn();
    expect(lists.asked).toHaveLength(1);
    // The list's request is on its way when the stream brings the same version.
    applyStreamEvent(lists.queryClient, {
      type: 'experiment',
      change: 'started',
      experiment: started,
    });
    await burstTakenIn();
    answer();
    await lists.settled();

    expect(lists.asked).toEqual([JSON.stringify({ state: 'running' })]);
    expect(lists.queryClient.getQueryData(queryKeys.experimentList({ state: 'running' }))).toEqual([
      started,
    ]);
    lists.stop();
  });

  it('ask once for the flags when one burst kills several', async () => {
    const queryClient = new QueryClient();
    let asked = 0;
    const observer = new QueryObserver(queryClient, {
      queryKey: ['flags', 'list'],
      queryFn: () => ++asked,
      staleTime: Number.POSITIVE_INFINITY,
    });
    const stop = observer.subscribe(() => {});
    await vi.waitFor(() => expect(asked).toBe(1));
    for (const id of ['a', 'b', 'c'])
      applyStreamEvent(queryClient, { type: 'resource', resource: 'flags', id, change: 'killed' });
    applyStreamEvent(queryClient, {
      type: 'halt-all',
      by: 'sam',
      halted: [],
      flagsKilled: ['a', 'b', 'c'],
    });
    await burstTakenIn();
    await vi.waitFor(() => expect(queryClient.isFetching()).toBe(0));
    expect(asked).toBe(2);
    stop();
  });
});
