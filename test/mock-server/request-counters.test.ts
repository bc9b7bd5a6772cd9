import { describe, expect, it } from 'vitest';
import { LATENCY_BUCKETS_SECONDS, type MetricSample } from '../../src/domain';
import type { ContainerReading } from '../../mock-server/simulation/physics';
import { RequestCounters, tallyOf } from '../../mock-server/simulation/request-counters';

const reading = (overrides: Partial<ContainerReading> = {}): ContainerReading => ({
  up: true,
  requests: 100,
  cpu: 40,
  memory: 50,
  latencyP99: 200,
  rate4xx: 2,
  rate5xx: 1,
  errorRate: 1.5,
  // p50 = 50 ms, p99 ≈ 200 ms
  latencyLog: { mu: Math.log(50), sigma: Math.log(4) / 2.326 },
  ...overrides,
});

const sample = (group: MetricSample['group'], experimentId?: string): MetricSample => ({
  t: 0,
  service: 'checkout',
  environment: 'staging',
  group,
  ...(experimentId ? { experimentId } : {}),
  values: {
    cpu: 0,
    memory: 0,
    error_rate: 0,
    http_4xx_rate: 0,
    http_5xx_rate: 0,
    latency_p99: 0,
    request_rate: 0,
  },
});

describe('request counters', () => {
  it('splits every request into exactly one answer class, lost connections apart from 5xx', () => {
    const tally = tallyOf([reading(), reading({ requests: 50, rate5xx: 10, errorRate: 10 })]);
    const total = Object.values(tally.byClass).reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(150, 6);
    expect(tally.byClass['5xx']).toBeCloseTo(1 + 5, 6);
    expect(tally.byClass.none).toBeCloseTo(0.5, 6);
    expect(tally.byClass['4xx']).toBeCloseTo(2 + 1, 6);
  });

  it('fills the latency buckets cumulatively, with the p99 between 100 ms and 250 ms', () => {
    const { atOrUnder } = tallyOf([reading()]);
    for (let i = 1; i < atOrUnder.length; i++)
      expect(atOrUnder[i]).toBeGreaterThanOrEqual(atOrUnder[i - 1] ?? 0);
    const at = (seconds: number) => atOrUnder[LATENCY_BUCKETS_SECONDS.indexOf(seconds as never)];
    expect(at(0.1)).toBeLessThan(99);
    expect(at(0.25)).toBeGreaterThan(99);
    expect(at(10)).toBeCloseTo(100, 6);
  });

  it('accumulates per second of clock time and drops a series that left the tick', () => {
    const counters = new RequestCounters(1000);
    const all = sample('all');
    const target = sample('target', 'exp-1');
    counters.add(1000, [all, target], [tallyOf([reading()]), tallyOf([reading()])]);
    counters.add(1500, [all, target], [tallyOf([reading()]), tallyOf([reading()])]);
    expect(counters.all().map((s) => s.count)).toEqual([150, 150]);
    counters.add(2500, [all], [tallyOf([reading()])]);
    expect(counters.all().map((s) => [s.sample.group, s.count])).toEqual([['all', 250]]);
  });
});
