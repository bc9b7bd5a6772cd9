/** One measured quantity of a benchmark, with its budget. */
export interface BenchResult {
  name: string;
  /** 'ms', 'ticks', 'MB', … */
  unit: string;
  median: number;
  p99: number;
  /** The p99 must stay at or under this, in `unit`; null when there is no budget. */
  budget: number | null;
  pass: boolean;
  /** How many runs the median and p99 are over. */
  runs?: number;
}

/** The value below which `q` (0–1) of the sorted values lie (nearest rank). */
function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

/** Median and p99 of `values`, judged against a budget on the p99. */
export function summarize(
  name: string,
  unit: string,
  values: readonly number[],
  budget: number | null,
): BenchResult {
  const sorted = [...values].sort((a, b) => a - b);
  const p99 = quantile(sorted, 0.99);
  return {
    name,
    unit,
    median: quantile(sorted, 0.5),
    p99,
    budget,
    pass: budget === null || p99 <= budget,
    runs: values.length,
  };
}
