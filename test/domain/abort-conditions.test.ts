import { describe, expect, it } from 'vitest';
import {
  abortConditionSchema,
  describeCondition,
  evaluateSeries,
  initialConditionState,
  stepCondition,
  type AbortCondition,
  type TimedValue,
} from '../../src/domain';

/** One sample a second, starting at t = 0 ms. */
const perSecond = (values: number[]): TimedValue[] =>
  values.map((value, i) => ({ t: i * 1000, value }));

/** The index of the first sample after which the condition holds, or -1. */
function trippedAt(condition: AbortCondition, series: TimedValue[]): number {
  let state = initialConditionState(condition);
  for (const [index, sample] of series.entries()) {
    const step = stepCondition(condition, state, sample);
    state = step.state;
    if (step.verdict.holds) return index;
  }
  return -1;
}

const fiveXx = (windowSeconds: number): AbortCondition => ({
  kind: 'threshold',
  metric: 'http_5xx_rate',
  comparator: '>',
  threshold: 1,
  windowSeconds,
  scope: 'target',
});

describe('threshold conditions', () => {
  it('aborts when the 5xx rate stays above 1 % for 10 s', () => {
    const series = perSecond([0, 0, ...Array<number>(12).fill(2)]);
    // Breach starts at index 2 (t = 2 s); it has lasted 10 s at index 12.
    expect(trippedAt(fiveXx(10), series)).toBe(12);
  });

  it('starts the window again when the metric dips back under the threshold', () => {
    const series = perSecond([2, 2, 2, 2, 2, 0.5, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2]);
    expect(trippedAt(fiveXx(10), series)).toBe(16);
  });

  it('trips on the first breaching sample when the window is 0 ("4xx count > 0")', () => {
    const condition: AbortCondition = {
      kind: 'threshold',
      metric: 'http_4xx_rate',
      comparator: '>',
      threshold: 0,
      windowSeconds: 0,
      scope: 'target',
    };
    expect(trippedAt(condition, perSecond([0, 0, 0.1]))).toBe(2);
  });

  it.each([
    ['>', 1, 1, false],
    ['>=', 1, 1, true],
    ['<', 10, 9.9, true],
    ['<=', 10, 10.1, false],
  ] as const)(
    'compares with %s against %d (value %d holds: %s)',
    (comparator, threshold, value, holds) => {
      const condition: AbortCondition = {
        kind: 'threshold',
        metric: 'request_rate',
        comparator,
        threshold,
        windowSeconds: 0,
        scope: 'service',
      };
      expect(evaluateSeries(condition, perSecond([value]))?.holds).toBe(holds);
    },
  );

  it('does not hold on an empty series', () => {
    expect(evaluateSeries(fiveXx(0), [])).toBeNull();
  });
});

describe('rising conditions', () => {
  const rising: AbortCondition = {
    kind: 'rising',
    metric: 'error_rate',
    delta: 2,
    windowSeconds: 5,
    scope: 'target',
  };

  it('holds when the error rate climbs by more than the rise over the window', () => {
    // At t = 5 s the window reaches back to t = 0: 3.5 − 1 = 2.5, more than 2.
    expect(trippedAt(rising, perSecond([1, 1.5, 2, 2.5, 3, 3.5, 4]))).toBe(5);
  });

  it('does not hold on a flat, noisy series', () => {
    expect(trippedAt(rising, perSecond([1, 1.4, 0.9, 1.3, 1, 1.5, 0.8, 1.2, 1.1]))).toBe(-1);
  });

  it('does not hold before a whole window has been observed', () => {
    expect(trippedAt(rising, perSecond([0, 5, 10]))).toBe(-1);
  });

  it('keeps only the samples of its window in memory', () => {
    let state = initialConditionState(rising);
    for (const sample of perSecond(Array.from({ length: 1000 }, (_, i) => i))) {
      state = stepCondition(rising, state, sample).state;
    }
    expect(state.kind === 'rising' && state.recent.length).toBeLessThanOrEqual(7);
  });
});

describe('describing conditions', () => {
  it.each([
    [fiveXx(10), '5xx rate > 1 % for 10 s'],
    [{ ...fiveXx(0), metric: 'http_4xx_rate' as const, threshold: 0 }, '4xx rate > 0 %'],
    [
      {
        kind: 'threshold',
        metric: 'cpu',
        comparator: '>',
        threshold: 90,
        windowSeconds: 30,
        scope: 'service',
      } as const,
      'CPU (whole service) > 90 % for 30 s',
    ],
    [
      {
        kind: 'rising',
        metric: 'error_rate',
        delta: 0.5,
        windowSeconds: 30,
        scope: 'target',
      } as const,
      'error rate rises by more than 0.5 percentage points within 30 s',
    ],
    [
      {
        kind: 'threshold',
        metric: 'latency_p99',
        comparator: '>=',
        threshold: 800,
        windowSeconds: 5,
        scope: 'target',
      } as const,
      'p99 latency >= 800 ms for 5 s',
    ],
  ] as const)('%j reads "%s"', (condition, text) => {
    expect(describeCondition(condition)).toBe(text);
  });
});

describe('condition validation', () => {
  it.each([
    [{ metric: 'disk' }, 'metric'],
    [{ comparator: '=>' }, 'comparator'],
    [{ threshold: 'high' }, 'threshold'],
    [{ windowSeconds: -1 }, 'windowSeconds'],
    [{ windowSeconds: 1.5 }, 'windowSeconds'],
    [{ kind: 'rising', delta: 0, windowSeconds: 10 }, 'delta'],
    [{ kind: 'rising', delta: 1, windowSeconds: 0 }, 'windowSeconds'],
  ])('rejects %j at %s', (override, path) => {
    const result = abortConditionSchema.safeParse({ ...fiveXx(10), ...override });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toContain(path);
  });
});
