import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chiSquareSurvival1, describeSampleRatio, sampleRatioCheck } from '@/domain';

// Reference values from scipy 1.17: scipy.stats.chisquare(observed, f_exp=expected).
describe('the sample-ratio check against scipy', () => {
  it.each([
    { target: 821, control: 179, share: 0.8, chi: 2.75625, p: 0.09687507502627439 },
    { target: 5000, control: 5200, share: 0.5, chi: 3.9215686274509802, p: 0.0476703806561615 },
    { target: 120, control: 120, share: 0.33, chi: 31.37042062415197, p: 2.1320441443054083e-8 },
    { target: 50, control: 50, share: 0.5, chi: 0, p: 1 },
    { target: 33, control: 67, share: 0.25, chi: 3.4133333333333336, p: 0.06467168750236404 },
  ])(
    '$target : $control against $share gives χ² $chi, p $p',
    ({ target, control, share, chi, p }) => {
      const check = sampleRatioCheck(target, control, share);
      expect(check.chiSquare).toBeCloseTo(chi, 10);
      expect(check.pValue!).toBeCloseTo(p, 12);
      expect(check.outcome).toBe(p < 0.001 ? 'mismatch' : 'match');
    },
  );

  it('has the χ²₁ critical values of the tables', () => {
    expect(chiSquareSurvival1(3.841458820694124)).toBeCloseTo(0.05, 12);
    expect(chiSquareSurvival1(6.6348966010212145)).toBeCloseTo(0.01, 12);
    expect(chiSquareSurvival1(10.827566170662733)).toBeCloseTo(0.001, 12);
    expect(chiSquareSurvival1(0)).toBe(1);
  });
});

describe('the sample-ratio check', () => {
  it('says "not enough data" with no units or too few expected in a cell', () => {
    expect(sampleRatioCheck(0, 0, 0.5).outcome).toBe('not-enough-data');
    // 1 % of 240 users is 2.4 expected: too few for the χ² approximation.
    expect(sampleRatioCheck(3, 237, 0.01).outcome).toBe('not-enough-data');
  });

  it('at 100 % any unit left on the off side is a mismatch, and none is a match', () => {
    expect(sampleRatioCheck(239, 1, 1).outcome).toBe('mismatch');
    expect(sampleRatioCheck(240, 0, 1).outcome).toBe('match');
  });

  it('never calls an exact split a mismatch', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 20, max: 10_000 }),
        fc.integer({ min: 5, max: 95 }),
        (n, pct) => {
          const target = (n * pct) / 100;
          return sampleRatioCheck(target, n - target, pct / 100).outcome !== 'mismatch';
        },
      ),
    );
  });

  it('finds a split far from the one asked for, given enough units', () => {
    fc.assert(
      fc.property(fc.integer({ min: 10, max: 40 }), (pct) => {
        const asked = pct / 100;
        // Twice the share asked for, over 1 000 users.
        const target = Math.round(2 * asked * 1000);
        return sampleRatioCheck(target, 1000 - target, asked).outcome === 'mismatch';
      }),
    );
  });

  it('writes the numbers for people', () => {
    const check = sampleRatioCheck(120, 120, 0.33);
    expect(describeSampleRatio(check, { target: 'flag on', units: 'users' })).toBe(
      'flag on got 50.0 % of users, the rollout expects 33.0 % (χ² = 31.4, p < 0.001, 240 users)',
    );
  });
});
