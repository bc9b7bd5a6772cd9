import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_JUDGE_SETTINGS,
  describeVerdict,
  judge,
  judgeMetric,
  judgeRates as judgeTicks,
  judgeVerdictSchema,
  kthPairwiseDifference,
  mannWhitney,
  normalCdf,
  normalQuantile,
  twoProportions,
  wilsonInterval,
} from '@/domain';

const sorted = (values: readonly number[]) => [...values].sort((a, b) => a - b);

// Two samples of 20, published with their answer in ClickHouse's mannWhitneyUTest tests
// (01560_mann_whitney.sql), which agree with scipy.stats.mannwhitneyu.
const CLICKHOUSE_LEFT = [
  310, 195, 530, 155, 530, 245, 385, 450, 465, 545, 170, 180, 125, 180, 230, 75, 430, 480, 495, 295,
];
const CLICKHOUSE_RIGHT = [
  116, 171, 176, 421, 111, 326, 481, 111, 346, 441, 261, 411, 206, 521, 456, 446, 296, 51, 426, 261,
];
// scipy's documentation example (males against females), asymptotic method.
const MALES = [19, 22, 16, 29, 24];
const FEMALES = [20, 11, 17, 12];
// Generated samples, one without ties within a sample and one with many ties.
const GEN_X = Array.from({ length: 60 }, (_, i) => ((i * 37) % 101) / 10 + 1.5);
const GEN_Y = Array.from({ length: 50 }, (_, j) => ((j * 53) % 97) / 10);
const TIED_X = GEN_X.map(Math.floor);
const TIED_Y = GEN_Y.map(Math.floor);

// Reference values from scipy 1.17 (mannwhitneyu, method="asymptotic", continuity on) and,
// for the shift, the median of all pairwise differences and its order-statistic interval
// computed by brute force in the same way.
describe('Mann-Whitney U against reference computations', () => {
  it.each([
    {
      name: 'ClickHouse sample',
      x: CLICKHOUSE_LEFT,
      y: CLICKHOUSE_RIGHT,
      u: 223,
      p: 0.5426959774289482,
      shift: 24,
      interval: [-81, 119],
    },
    {
      name: 'scipy males/females',
      x: MALES,
      y: FEMALES,
      u: 17,
      p: 0.11134688653314041,
      shift: 7,
      interval: [-4, 18],
    },
    {
      name: 'generated, few ties',
      x: GEN_X,
      y: GEN_Y,
      u: 2027,
      p: 0.0015735489017633234,
      shift: 1.9,
      interval: [0.8, 3.1],
    },
    {
      name: 'generated, many ties',
      x: TIED_X,
      y: TIED_Y,
      u: 2019,
      p: 0.0017736744449536272,
      shift: 2,
      interval: [1, 3],
    },
  ])(
    '$name: U, two-sided p, Hodges-Lehmann shift and 95 % interval',
    ({ x, y, u, p, shift, interval }) => {
      const result = mannWhitney(sorted(x), sorted(y), 0.95);
      expect(result.u).toBe(u);
      expect(result.pValue).toBeCloseTo(p, 10);
      expect(result.shift).toBeCloseTo(shift, 10);
      expect(result.interval[0]).toBeCloseTo(interval[0]!, 10);
      expect(result.interval[1]).toBeCloseTo(interval[1]!, 10);
    },
  );
});

describe('the normal distribution', () => {
  it.each([
    [-3, 0.0013498980316300933],
    [-1.96, 0.024997895148220435],
    [0.5, 0.6914624612740131],
    [2.5, 0.9937903346742238],
    [6, 0.9999999990134123],
    [-8.3, 5.2055697448902465e-17],
  ])('Φ(%d) matches scipy.stats.norm.cdf', (x, expected) => {
    expect(Math.abs(normalCdf(x) - expected)).toBeLessThan(1e-14 + expected * 1e-9);
  });

  it('the 97.5 % quantile is 1.95996…', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 9);
  });
});

describe('pairwise differences', () => {
  it('every order statistic equals the brute-force one', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 15 }),
        fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 1, maxLength: 15 }),
        fc.nat(),
        (xs, ys, pick) => {
          const x = sorted(xs);
          const y = sorted(ys);
          const all = sorted(x.flatMap((a) => y.map((b) => a - b)));
          const k = (pick % all.length) + 1;
          expect(kthPairwiseDifference(x, y, k)).toBe(all[k - 1]);
        },
      ),
      { numRuns: 300 },
    );
  });
});

const ramp = (count: number, from: number, step: number) =>
  Array.from({ length: count }, (_, i) => from + ((i * 7) % count) * step);

describe('the judge', () => {
  it.each([
    {
      name: 'identical samples never differ',
      target: ramp(40, 0.1, 0.01),
      control: ramp(40, 0.1, 0.01),
      outcome: 'no-difference',
      regression: false,
    },
    {
      name: 'a sample shifted up by 2 points is higher, a regression',
      target: ramp(40, 2.1, 0.01),
      control: ramp(40, 0.1, 0.01),
      outcome: 'higher',
      regression: true,
    },
    {
      name: 'a sample shifted down is lower, not a regression when up is bad',
      target: ramp(40, 0.1, 0.01),
      control: ramp(40, 2.1, 0.01),
      outcome: 'lower',
      regression: false,
    },
    {
      name: 'a shift inside the minimum effect does not count',
      target: ramp(40, 0.15, 0.01),
      control: ramp(40, 0.1, 0.01),
      minEffect: 0.5,
      outcome: 'no-difference',
      regression: false,
    },
    {
      name: 'too few samples give not enough data, even when far apart',
      target: ramp(19, 50, 1),
      control: ramp(19, 0, 1),
      outcome: 'not-enough-data',
      regression: false,
    },
    {
      name: 'a constant sample equal to its control does not differ',
      target: Array<number>(30).fill(0),
      control: Array<number>(30).fill(0),
      outcome: 'no-difference',
      regression: false,
    },
  ])('$name', ({ target, control, outcome, regression, minEffect }) => {
    const verdict = judge(target, control, {
      ...DEFAULT_JUDGE_SETTINGS,
      minEffect: minEffect ?? 0,
    });
    expect(verdict.outcome).toBe(outcome);
    expect(verdict.regression).toBe(regression);
  });

  it('a shifted sample differs by the shift it was given, inside its interval', () => {
    const control = ramp(50, 10, 0.1);
    const target = control.map((v) => v + 3);
    const verdict = judge(target, control);
    expect(verdict.shift).toBeCloseTo(3, 10);
    expect(verdict.interval![0]).toBeLessThan(3);
    expect(verdict.interval![1]).toBeGreaterThan(3);
    expect(verdict.pValue).toBeLessThan(0.05);
  });

  it('ignores values that are not numbers when counting samples', () => {
    const verdict = judge([...ramp(20, 1, 1), Number.NaN], ramp(20, 1, 1));
    expect(verdict.targetCount).toBe(20);
  });

  it('gives the same verdict whatever order the samples come in', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 10, noNaN: true }), { minLength: 20, maxLength: 60 }),
        fc.array(fc.double({ min: 0, max: 10, noNaN: true }), { minLength: 20, maxLength: 60 }),
        fc.integer(),
        (target, control, seed) => {
          const shuffle = (values: number[]) =>
            values
              .map((v, i) => ({ v, key: Math.imul(i + 1, seed | 1) ^ (seed >>> 3) }))
              .sort((a, b) => a.key - b.key)
              .map((e) => e.v);
          expect(judge(shuffle(target), shuffle(control))).toEqual(judge(target, control));
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('the verdict in words', () => {
  it('names both groups, the shift with its interval, p and the sample counts', () => {
    const control = Array.from({ length: 240 }, (_, i) => 0.05 + (i % 3) * 0.05);
    const target = control.map((v, i) => v + 1.9 + (i % 5) * 0.05);
    const text = describeVerdict(judge(target, control), {
      target: 'canary',
      control: 'stable',
      metric: 'http_5xx_rate',
    });
    expect(text).toBe(
      'canary 5xx rate 2.1 % vs stable 0.1 %, +2.0 points [2.0, 2.0], p < 0.001, 240 samples each',
    );
  });

  it('says when there is not enough data yet', () => {
    const text = describeVerdict(judge([1, 2], [1, 2, 3]), {
      target: 'canary',
      control: 'stable',
      metric: 'latency_p99',
    });
    expect(text).toBe('canary p99 latency: not enough data yet (2 vs 3 samples, needs 20 each)');
  });
});

describe('two proportions, from pooled counts', () => {
  // Newcombe (1998), "Interval estimation for the difference between independent proportions",
  // method 10 (hybrid score), examples (a), (b), (d) and (e); and the contingencytables R
  // package's test of Newcombe_hybrid_score_CI_2x2 (7/34 against 1/34). p-values from scipy 1.17:
  // scipy.stats.chi2_contingency(table, correction=False), the pooled z-test squared.
  it.each([
    { target: [56, 70], control: [48, 80], interval: [0.0524, 0.3339], p: 0.008045081368196585 },
    { target: [9, 10], control: [3, 10], interval: [0.1705, 0.809], p: 0.0061698993205441645 },
    { target: [5, 56], control: [0, 29], interval: [-0.0381, 0.1926], p: 0.09718656817057987 },
    { target: [0, 10], control: [0, 20], interval: [-0.1611, 0.2775], p: 1 },
    { target: [7, 34], control: [1, 34], interval: [0.0189, 0.3404], p: 0.02392584348062659 },
    { target: [3, 4], control: [1, 4], interval: null, p: 0.1573 },
  ])('$target against $control', ({ target, control, interval, p }) => {
    const result = twoProportions(
      { events: target[0]!, trials: target[1]! },
      { events: control[0]!, trials: control[1]! },
      0.95,
    );
    expect(result.difference).toBeCloseTo(target[0]! / target[1]! - control[0]! / control[1]!, 12);
    if (interval) {
      expect(result.interval[0]).toBeCloseTo(interval[0]!, 4);
      expect(result.interval[1]).toBeCloseTo(interval[1]!, 4);
    }
    expect(result.pValue).toBeCloseTo(p, 4);
  });

  it("each side's Wilson interval is scipy's", () => {
    // scipy.stats.binomtest(7, 34).proportion_ci(0.95, 'wilson')
    const [lo, hi] = wilsonInterval({ events: 7, trials: 34 }, normalQuantile(0.975));
    expect(lo).toBeCloseTo(0.10349526899031916, 10);
    expect(hi).toBeCloseTo(0.367983880511636, 10);
  });
});

interface Tick {
  rate: number;
  requests: number;
}

/** Ticks as the judge takes them: the values, and the requests beside them. */
const asTicks = (ticks: readonly Tick[]) => ({
  values: ticks.map((t) => t.rate),
  requests: ticks.map((t) => t.requests),
});

/** Pools and judges two sides given tick by tick. */
const judgeRates = (target: readonly Tick[], control: readonly Tick[]) =>
  judgeTicks(asTicks(target), asTicks(control));

/** `n` ticks with `requests` each, a share `failing` of the ticks at 100 %, the rest at 0 %. */
function spiky(n: number, requests: number, failing: number): Tick[] {
  return Array.from({ length: n }, (_, i) => ({
    rate: (i * failing) % 1 > ((i + 1) * failing) % 1 || failing === 1 ? 100 : 0,
    requests,
  }));
}

describe('the judge of a share of requests', () => {
  const steady = (n: number, requests: number, rate: number) =>
    Array.from({ length: n }, () => ({ rate, requests }));

  it('pools the requests: a canary with a request per tick, 20 % of them 5xx, is higher', () => {
    // What per-tick rates misread: the canary's ticks are 0 % or 100 %, stable's all 1 %.
    const canary = spiky(200, 1, 0.2);
    const stable = steady(200, 19, 1);
    expect(canary.filter((t) => t.rate === 100)).toHaveLength(40);
    const perTick = judge(
      canary.map((t) => t.rate),
      stable.map((t) => t.rate),
    );
    expect(perTick.outcome).toBe('lower');

    const verdict = judgeRates(canary, stable);
    expect(verdict).toMatchObject({
      method: 'two-proportions',
      outcome: 'higher',
      regression: true,
      targetCount: 200,
      targetRequests: 200,
      controlRequests: 3_800,
    });
    expect(verdict.targetMean).toBeCloseTo(20, 10);
    expect(verdict.shift).toBeCloseTo(19, 10);
    expect(verdict.interval![0]).toBeGreaterThan(10);
    expect(verdict.pValue).toBeLessThan(0.001);
  });

  it('a canary too slightly worse on too few requests does not differ, and is never "lower"', () => {
    // 3 of 24 requests (12.5 %) against 9 %: no evidence either way.
    const verdict = judgeRates(spiky(24, 1, 0.125), steady(24, 19, 9));
    expect(verdict.outcome).toBe('no-difference');
    expect(verdict.shift).toBeGreaterThan(0);
  });

  it('gives not enough data on enough ticks but too few requests', () => {
    const verdict = judgeRates(spiky(30, 0.5, 0.5), steady(30, 19, 1));
    expect(verdict.outcome).toBe('not-enough-data');
    expect(verdict.targetRequests).toBe(15);
    expect(
      describeVerdict(verdict, { target: 'canary', control: 'stable', metric: 'http_5xx_rate' }),
    ).toBe(
      'canary 5xx rate: not enough data yet (15 vs 570 requests, 30 samples each, ' +
        'needs 20 samples and 20 requests each)',
    );
  });

  it('identical sides never differ, with or without any 5xx', () => {
    expect(judgeRates(steady(40, 50, 2), steady(40, 50, 2)).outcome).toBe('no-difference');
    expect(judgeRates(steady(40, 50, 0), steady(40, 50, 0))).toMatchObject({
      outcome: 'no-difference',
      pValue: 1,
      shift: 0,
    });
  });

  it('drops ticks without requests and rates that are not a share', () => {
    const verdict = judgeRates(
      [...steady(20, 10, 1), { rate: 50, requests: 0 }, { rate: Number.NaN, requests: 5 }],
      steady(20, 10, 1),
    );
    expect(verdict).toMatchObject({ targetCount: 20, targetRequests: 200 });
  });

  it('writes the requests beside the samples', () => {
    const text = describeVerdict(judgeRates(steady(240, 5, 2.1), steady(240, 95, 0.1)), {
      target: 'canary',
      control: 'stable',
      metric: 'http_5xx_rate',
    });
    expect(text).toBe(
      'canary 5xx rate 2.1 % vs stable 0.1 %, +2.0 points [1.3, 3.0], p < 0.001, ' +
        '1,200 vs 22,800 requests, 240 samples each',
    );
  });

  it('gives the same verdict whatever order the ticks come in', () => {
    const tick = fc.record({
      rate: fc.double({ min: 0, max: 100, noNaN: true }),
      requests: fc.double({ min: 0, max: 50, noNaN: true }),
    });
    fc.assert(
      fc.property(
        fc.array(tick, { minLength: 20, maxLength: 60 }),
        fc.array(tick, { minLength: 20, maxLength: 60 }),
        (target, control) => {
          const reversed = (ticks: typeof target) => [...ticks].reverse();
          expect(judgeRates(reversed(target), reversed(control))).toEqual(
            judgeRates(target, control),
          );
        },
      ),
      { numRuns: 50 },
    );
  });

  it('judges shares of requests pooled, and latency tick by tick', () => {
    const ticks = (values: number[], requests: number) => ({
      values,
      requests: values.map(() => requests),
    });
    const rates = judgeMetric('error_rate', ticks([1, 2], 10), ticks([1, 2], 10));
    expect(rates.method).toBe('two-proportions');
    const latency = judgeMetric('latency_p99', ticks([1, 2], 10), ticks([1, 2], 10));
    expect(latency.method).toBe('mann-whitney');
  });

  it('reads a verdict kept before rates were pooled as Mann-Whitney', () => {
    const kept: Record<string, unknown> = { ...judge(ramp(20, 1, 1), ramp(20, 1, 1)) };
    delete kept.method;
    expect(judgeVerdictSchema.parse(kept).method).toBe('mann-whitney');
  });
});

describe('numbers that round to nothing', () => {
  it('have no sign: a shift of −0.001 points reads ±0.00, an interval end 0.00', () => {
    const verdict = {
      ...judge(ramp(20, 1, 1), ramp(20, 1, 1)),
      outcome: 'no-difference' as const,
      targetMean: 0.1,
      controlMean: 0.101,
      shift: -0.001,
      interval: [-0.012, -0.0004] as [number, number],
      pValue: 0.5,
    };
    const text = describeVerdict(verdict, {
      target: 'canary',
      control: 'stable',
      metric: 'http_5xx_rate',
    });
    expect(text).toContain('±0.00 points [-0.01, 0.00]');
    expect(
      describeVerdict(
        { ...verdict, shift: -0.4, interval: [-0.6, -0.2] },
        { target: 'canary', control: 'stable', metric: 'latency_p99' },
      ),
    ).toContain('±0 ms [-1, 0]');
  });
});
