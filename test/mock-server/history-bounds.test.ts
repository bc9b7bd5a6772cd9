import { describe, expect, it } from 'vitest';
import { MAX_EXPERIMENT_SERIES, MetricHistory } from '../../mock-server/simulation/history';
import { METRICS, type MetricSample, type MetricValues } from '../../src/domain';

const values = (v: number) =>
  Object.fromEntries(METRICS.map((metric) => [metric, v])) as MetricValues;

const sample = (t: number, experimentId?: string): MetricSample => ({
  t,
  service: 'checkout',
  environment: 'staging',
  group: experimentId ? 'target' : 'all',
  ...(experimentId ? { experimentId } : {}),
  values: values(t),
});

describe('metric history bounds', () => {
  it('grows a series as samples come, keeping them in order across growth and wrap', () => {
    // A 3.6 s tick: an hour is 1 001 samples.
    const history = new MetricHistory(3_600);
    const all = { service: 'checkout', environment: 'staging', group: 'all' } as const;
    history.record([sample(1)], 1);
    expect(history.allocatedSamples()).toBeLessThan(1001);
    for (let t = 2; t <= 2500; t++) history.record([sample(t)], t);
    expect(history.allocatedSamples()).toBe(1001);
    expect(history.query(all).map((s) => s.t)).toEqual(
      Array.from({ length: 1001 }, (_, i) => 1500 + i),
    );
    const recent = history.query({ ...all, since: 2400 });
    expect(recent.map((s) => s.values[METRICS[0]!])).toEqual(
      Array.from({ length: 101 }, (_, i) => 2400 + i),
    );
    expect(recent[0]).toEqual({ ...sample(2400), t: 2400 });
  });

  it('keeps memory flat over a day of short experiment runs at a 100 ms tick', () => {
    const history = new MetricHistory(100);
    let t = 0;
    // 500 runs of 2 minutes each, one after another (almost 17 hours).
    for (let run = 0; run < 500; run++) {
      for (let tick = 0; tick < 1200; tick += 10) {
        t += 1000;
        history.record([sample(t), sample(t, `run-${run}`)], t);
      }
    }
    expect(history.seriesCount()).toBeLessThanOrEqual(MAX_EXPERIMENT_SERIES + 1);
    // The fleet series holds its hour (36 001 at most); each run holds what it recorded.
    expect(history.allocatedSamples()).toBeLessThan(36_001 + MAX_EXPERIMENT_SERIES * 256);
    expect(
      history.query({
        service: 'checkout',
        environment: 'staging',
        group: 'target',
        experimentId: 'run-499',
      }),
    ).toHaveLength(120);
  });
});
