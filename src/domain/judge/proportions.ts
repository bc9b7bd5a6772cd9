import { normalCdf, normalQuantile } from './normal';

/** Events (5xx answers, errors) out of trials (requests) on one side. */
export interface Tally {
  events: number;
  trials: number;
}

/** Two proportions compared: target − control, its interval, and the test of no difference. */
interface TwoProportionsResult {
  /** Target's proportion − control's, as a fraction (0.02 is two points). */
  difference: number;
  /** Newcombe's hybrid score interval for the difference, [lower, upper]. */
  interval: [number, number];
  /** Standard score of the difference with the pooled variance. */
  z: number;
  /** Two-sided p-value of the pooled z-test (Pearson's χ² without continuity correction). */
  pValue: number;
}

/** Wilson's score interval for one proportion, at the standard score z. */
export function wilsonInterval({ events, trials }: Tally, z: number): [number, number] {
  const p = events / trials;
  const z2 = z * z;
  const centre = (p + z2 / (2 * trials)) / (1 + z2 / trials);
  const half =
    (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / (1 + z2 / trials);
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/**
 * Compares the target's proportion of events with the control's, from pooled counts: the
 * difference, Newcombe's hybrid score interval (method 10 of Newcombe 1998, built from each
 * side's Wilson interval, which keeps its coverage near 0 % and with few trials), and the
 * pooled two-proportion z-test. Counts need not be whole: a rate times a duration is a count.
 */
export function twoProportions(
  target: Tally,
  control: Tally,
  confidence: number,
): TwoProportionsResult {
  if (!(target.trials > 0 && control.trials > 0)) {
    throw new RangeError('twoProportions needs trials on both sides');
  }
  const p1 = target.events / target.trials;
  const p2 = control.events / control.trials;
  const difference = p1 - p2;
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const [l1, u1] = wilsonInterval(target, z);
  const [l2, u2] = wilsonInterval(control, z);
  const interval: [number, number] = [
    difference - Math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2),
    difference + Math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2),
  ];
  const pooled = (target.events + control.events) / (target.trials + control.trials);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / target.trials + 1 / control.trials));
  // Both sides all events or all non-events: nothing tells them apart.
  if (!(se > 0)) return { difference, interval, z: 0, pValue: 1 };
  const score = difference / se;
  return { difference, interval, z: score, pValue: 2 * normalCdf(-Math.abs(score)) };
}
