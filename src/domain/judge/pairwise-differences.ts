/**
 * Order statistics of the n·m pairwise differences x[i] − y[j] without building them (10 000
 * samples each would be 10⁸ numbers). Both inputs must be sorted ascending.
 *
 * The answer is kept between two actual differences, low ≤ answer ≤ high. Each pass takes
 * the midpoint, counts the differences at or below it with two pointers (O(n + m)), and moves
 * one end to the nearest actual difference on its side, so the search ends on an exact
 * difference after a few dozen passes.
 */

interface Pass {
  /** How many differences are ≤ mid. */
  atMost: number;
  /** The largest difference ≤ mid (−Infinity when none). */
  below: number;
  /** The smallest difference > mid (Infinity when none). */
  above: number;
}

function pass(x: ArrayLike<number>, y: ArrayLike<number>, mid: number): Pass {
  // x[i] − y[j] falls as j rises, so the differences ≤ mid start at a pointer that only moves
  // right as x[i] rises. Comparing the computed difference keeps the count exact under rounding.
  let atMost = 0;
  let below = Number.NEGATIVE_INFINITY;
  let above = Number.POSITIVE_INFINITY;
  let j = 0;
  const m = y.length;
  for (let i = 0; i < x.length; i++) {
    const xi = x[i]!;
    while (j < m && xi - y[j]! > mid) j++;
    atMost += m - j;
    if (j < m) {
      const diff = xi - y[j]!;
      if (diff > below) below = diff;
    }
    if (j > 0) {
      const diff = xi - y[j - 1]!;
      if (diff < above) above = diff;
    }
  }
  return { atMost, below, above };
}

/** The k-th smallest (1-based) of the differences x[i] − y[j]. */
export function kthPairwiseDifference(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  k: number,
): number {
  const total = x.length * y.length;
  if (total === 0) throw new RangeError('kthPairwiseDifference needs two non-empty samples');
  if (!(Number.isInteger(k) && k >= 1 && k <= total)) {
    throw new RangeError(`k must be an integer from 1 to ${total}, got ${k}`);
  }
  let low = x[0]! - y[y.length - 1]!;
  let high = x[x.length - 1]! - y[0]!;
  // Every pass moves an end to a different actual difference, and there are finitely many.
  while (low < high) {
    const halfway = low + (high - low) / 2;
    // Between neighbouring doubles the midpoint can round up to high, which would not move.
    const mid = halfway < high ? halfway : low;
    const { atMost, below, above } = pass(x, y, mid);
    if (atMost >= k) high = below;
    else low = above;
  }
  return low;
}
