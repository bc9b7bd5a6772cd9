import { describe, expect, it } from 'vitest';
import { MAX_EXPERIMENT_SERIES, MetricHistory } from '../../mock-server/simulation/history';
import { SeriesRing } from '../../mock-server/simulation/series-ring';
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
  it('grows a ring as samples come, keeping them in order across growth and wrap', () => {
    const ring = new SeriesRing(
      { service: 'checkout', environment: 'staging', group: 'all' },
      1000,
    );
    expect(ring.allocated).toBeLessThan(1000);
    for (let t = 1; t <= 2500; t++) ring.push(t, values(t));
    expect(ring.allocated).toBe(1000);
    expect(ring.samples().map((s) => s.t)).toEqual(
      Array.from({ length: 1000 }, (_, i) => 1501 + i),
    );
    expect(ring.samples(2400).map((s) => s.values[METRICS[0]!])).toHaveLength(101);
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
