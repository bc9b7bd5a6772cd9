import { judgeMetric, type Metric } from '../src/domain';
import { summarize, type BenchResult } from './bench-result';

export const name = 'judge';

const RUNS = 30;
/** One analysis of one metric, run once per step (every 10 s or more), in ms. */
const BUDGET_MS = 100;

/** A seeded walk of 5xx-like rates (%): deterministic, with ties from rounding to 0.01. */
function sample(count: number, seed: number, offset: number): number[] {
  let state = seed;
  return Array.from({ length: count }, () => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return Math.round((offset + (state / 2 ** 32) * 0.5) * 100) / 100;
  });
}

/**
 * Latency is judged tick by tick (Mann-Whitney), a 5xx rate on the ticks' pooled requests (two
 * proportions): the two ways an analysis judges a metric.
 */
const METRICS: { metric: Metric; method: string }[] = [
  { metric: 'latency_p99', method: 'Mann-Whitney' },
  { metric: 'http_5xx_rate', method: 'two proportions' },
];

export async function run(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const { metric, method } of METRICS) {
    for (const size of [1_000, 10_000]) {
      const times: number[] = [];
      const requests = Array.from({ length: size }, (_, i) => 5 + (i % 7));
      for (let i = 0; i < RUNS; i++) {
        const target = { values: sample(size, i + 1, 0.3), requests };
        const control = { values: sample(size, i + 1_000, 0.1), requests };
        const started = performance.now();
        judgeMetric(metric, target, control);
        times.push(performance.now() - started);
      }
      results.push(
        summarize(
          `one analysis (${method}), ${size} samples each`,
          'ms',
          times,
          size === 10_000 ? BUDGET_MS : null,
        ),
      );
    }
  }
  return results;
}
