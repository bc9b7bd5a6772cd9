import { describe, expect, it } from 'vitest';
import { requestSampleRatio } from '../../mock-server/rollouts/request-split';

describe('the sample-ratio check on a real service’s requests', () => {
  it.each([
    // on, off, expected share, outcome
    [0, 0, 0.5, 'not-enough-data'],
    [2, 1, 0.5, 'not-enough-data'],
    [310, 290, 0.5, 'match'],
    // Significant over requests (χ² ≈ 121) but as 200 users split at 50 %: no hold.
    [5_550, 4_450, 0.5, 'match'],
    [800, 9_200, 0.05, 'match'],
    // A cohort missing or swamped: a side short of half its share.
    [0, 600, 0.5, 'mismatch'],
    [240, 760, 0.5, 'mismatch'],
    [780, 220, 0.5, 'mismatch'],
    [10, 9_990, 0.05, 'mismatch'],
    [5_800, 200, 0.95, 'match'],
    [600, 0, 0.95, 'mismatch'],
    [300, 700, 0.95, 'mismatch'],
    // A few requests still on the old split just after a step starts are no mismatch.
    [990, 10, 1, 'match'],
    [10, 990, 0, 'match'],
    [600, 400, 0, 'mismatch'],
  ] as const)('%i on and %i off against %d: %s', (on, off, share, outcome) => {
    expect(requestSampleRatio(on, off, share).outcome).toBe(outcome);
  });

  it('keeps the χ² numbers of a match that is significant but within the tolerance', () => {
    const check = requestSampleRatio(5_550, 4_450, 0.5);
    expect(check).toMatchObject({ targetCount: 5_550, controlCount: 4_450, observedShare: 0.555 });
    expect(check.pValue).toBeLessThan(0.001);
  });
});
