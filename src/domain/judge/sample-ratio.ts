import { z } from 'zod';
import { normalCdf } from './normal';

/**
 * Below this p the split is taken to differ from the one asked for. GrowthBook and Optimizely
 * use 0.001 for their sample-ratio checks: the check runs on every look, and a false alarm holds
 * a healthy rollout.
 */
const SAMPLE_RATIO_ALPHA = 0.001;

/** Fewer units than this in a cell's expectation and the χ² approximation does not hold. */
const SAMPLE_RATIO_MIN_EXPECTED = 5;

export const sampleRatioCheckSchema = z.object({
  outcome: z.enum(['not-enough-data', 'match', 'mismatch']),
  /** Units (users) counted on the target side and the control side. */
  targetCount: z.number(),
  controlCount: z.number(),
  /** The target side's share of all units, 0–1. */
  observedShare: z.number().nullable(),
  /** The share the rollout asked for, 0–1. */
  expectedShare: z.number(),
  chiSquare: z.number().nullable(),
  pValue: z.number().nullable(),
});
type SampleRatioCheck = z.infer<typeof sampleRatioCheckSchema>;

/** P(χ² with one degree of freedom ≥ x): a χ²₁ is the square of a standard normal. */
export function chiSquareSurvival1(x: number): number {
  if (!(x > 0)) return 1;
  return Math.min(1, 2 * normalCdf(-Math.sqrt(x)));
}

/**
 * Pearson's χ² goodness-of-fit test of two cells: do `target` and `control` units split as
 * `expectedShare` : 1 − expectedShare says? Without Yates' correction, as scipy's `chisquare`
 * and the sample-ratio checks of GrowthBook and Optimizely compute it. A rollout at 0 % or
 * 100 % (one empty expected cell) mismatches as soon as any unit lands on the other side.
 */
export function sampleRatioCheck(
  target: number,
  control: number,
  expectedShare: number,
  alpha = SAMPLE_RATIO_ALPHA,
): SampleRatioCheck {
  const total = target + control;
  const base = { targetCount: target, controlCount: control, expectedShare };
  const expectedTarget = total * expectedShare;
  const expectedControl = total - expectedTarget;
  const notEnough = {
    ...base,
    outcome: 'not-enough-data' as const,
    observedShare: total > 0 ? target / total : null,
    chiSquare: null,
    pValue: null,
  };
  if (!(total > 0)) return notEnough;
  if (expectedTarget <= 0 || expectedControl <= 0) {
    const off = expectedTarget <= 0 ? target : control;
    return {
      ...base,
      outcome: off > 0 ? 'mismatch' : 'match',
      observedShare: target / total,
      chiSquare: off > 0 ? Number.POSITIVE_INFINITY : 0,
      pValue: off > 0 ? 0 : 1,
    };
  }
  if (Math.min(expectedTarget, expectedControl) < SAMPLE_RATIO_MIN_EXPECTED) return notEnough;
  const chiSquare =
    (target - expectedTarget) ** 2 / expectedTarget +
    (control - expectedControl) ** 2 / expectedControl;
  const pValue = chiSquareSurvival1(chiSquare);
  return {
    ...base,
    outcome: pValue < alpha ? 'mismatch' : 'match',
    observedShare: target / total,
    chiSquare,
    pValue,
  };
}

const percent = (share: number) => `${(share * 100).toFixed(1)} %`;

/**
 * "flag on got 48.0 % of users, the rollout expects 33.1 % (χ² = 41.2, p < 0.001, 240 users)".
 */
export function describeSampleRatio(
  check: SampleRatioCheck,
  labels: { target: string; units: string },
): string {
  const total = Math.round(check.targetCount + check.controlCount);
  if (check.outcome === 'not-enough-data' || check.observedShare === null) {
    return `${labels.target}: too few ${labels.units} to check the sample ratio (${total})`;
  }
  const p = check.pValue ?? 1;
  const pText = p < 0.001 ? 'p < 0.001' : `p = ${p < 0.1 ? p.toFixed(3) : p.toFixed(2)}`;
  const chi = check.chiSquare === null ? '' : `χ² = ${formatChi(check.chiSquare)}, `;
  return (
    `${labels.target} got ${percent(check.observedShare)} of ${labels.units}, ` +
    `the rollout expects ${percent(check.expectedShare)} (${chi}${pText}, ${total} ${labels.units})`
  );
}

function formatChi(x: number): string {
  if (!Number.isFinite(x)) return '∞';
  return x < 10 ? x.toFixed(2) : x.toFixed(1);
}
