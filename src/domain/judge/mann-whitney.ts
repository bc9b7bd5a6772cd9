import { normalCdf, normalQuantile } from './normal';
import { kthPairwiseDifference } from './pairwise-differences';

/** Mann-Whitney U of target against control, with the Hodges-Lehmann shift and its interval. */
interface MannWhitneyResult {
  /** U of the target: pairs where target > control, plus half the ties. */
  u: number;
  /** Standard score of U, continuity-corrected, with the tie-corrected variance. */
  z: number;
  /** Two-sided p-value of the normal approximation. */
  pValue: number;
  /** Hodges-Lehmann estimate of target − control: the median of all pairwise differences. */
  shift: number;
  /** Distribution-free confidence interval for the shift, [lower, upper]. */
  interval: [number, number];
}

/**
 * Merges the two sorted samples, ranking ties at their mean rank; returns the target's rank
 * sum and Σ(t³ − t) over groups of tied values.
 */
function rankSum(target: ArrayLike<number>, control: ArrayLike<number>) {
  let targetRanks = 0;
  let tieTerm = 0;
  let i = 0;
  let j = 0;
  let rank = 0;
  while (i < target.length || j < control.length) {
    const value = Math.min(
      i < target.length ? target[i]! : Number.POSITIVE_INFINITY,
      j < control.length ? control[j]! : Number.POSITIVE_INFINITY,
    );
    let inTarget = 0;
    let inControl = 0;
    while (i < target.length && target[i] === value) {
      i++;
      inTarget++;
    }
    while (j < control.length && control[j] === value) {
      j++;
      inControl++;
    }
    const size = inTarget + inControl;
    const midRank = rank + (size + 1) / 2;
    targetRanks += inTarget * midRank;
    tieTerm += size * size * size - size;
    rank += size;
  }
  return { targetRanks, tieTerm };
}

/**
 * The test on two samples sorted ascending (each at least one value). `confidence` is the
 * interval's level, e.g. 0.95.
 */
export function mannWhitney(
  target: ArrayLike<number>,
  control: ArrayLike<number>,
  confidence: number,
): MannWhitneyResult {
  const n = target.length;
  const m = control.length;
  const total = n + m;
  const { targetRanks, tieTerm } = rankSum(target, control);
  const u = targetRanks - (n * (n + 1)) / 2;
  const mean = (n * m) / 2;
  const variance = ((n * m) / 12) * (total + 1 - tieTerm / (total * (total - 1)));
  const sd = Math.sqrt(Math.max(0, variance));
  let z = 0;
  let pValue = 1;
  if (sd > 0) {
    const distance = Math.max(0, Math.abs(u - mean) - 0.5);
    z = (Math.sign(u - mean) * distance) / sd;
    pValue = Math.min(1, 2 * normalCdf(-Math.abs(z)));
  }
  const pairs = n * m;
  const shift =
    pairs % 2 === 1
      ? kthPairwiseDifference(target, control, (pairs + 1) / 2)
      : (kthPairwiseDifference(target, control, pairs / 2) +
          kthPairwiseDifference(target, control, pairs / 2 + 1)) /
        2;
  // The k-th smallest and k-th largest differences bound the shift at the asked level
  // (Hollander & Wolfe, large-sample form), k from U's tie-corrected spread.
  const zCritical = normalQuantile(1 - (1 - confidence) / 2);
  const k = Math.max(1, Math.floor(mean - zCritical * sd));
  const interval: [number, number] = [
    kthPairwiseDifference(target, control, k),
    kthPairwiseDifference(target, control, pairs - k + 1),
  ];
  return { u, z, pValue, shift, interval };
}
