import { describe, expect, it } from 'vitest';
import { OFREP_REASONS, ofrepReasonOf } from '@/domain/flags';

describe('OFREP reasons', () => {
  it.each([
    ['STATIC', false, 'STATIC'],
    ['TARGETING_MATCH', true, 'TARGETING_MATCH'],
    ['SPLIT', true, 'SPLIT'],
    ['DISABLED', true, 'DISABLED'],
    ['UNKNOWN', false, 'UNKNOWN'],
    // flagd's DEFAULT: the rules ran and none applied, so the answer depends on the context.
    ['DEFAULT', true, 'TARGETING_MATCH'],
    // No rules: everyone gets the same answer.
    ['DEFAULT', false, 'STATIC'],
    ['CACHED', false, 'UNKNOWN'],
    ['ERROR', true, 'UNKNOWN'],
    [undefined, false, 'UNKNOWN'],
  ] as const)('answers %s (rules: %s) as %s', (reason, hasRules, expected) => {
    expect(ofrepReasonOf(reason, hasRules)).toBe(expected);
  });

  it('never answers a reason outside OFREP’s list', () => {
    for (const reason of ['DEFAULT', 'STALE', 'CACHED', 'ERROR', 'anything', ''])
      for (const hasRules of [true, false])
        expect(OFREP_REASONS).toContain(ofrepReasonOf(reason, hasRules));
  });
});
