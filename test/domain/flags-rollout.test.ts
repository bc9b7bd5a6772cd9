import { FlagdCore } from '@openfeature/flagd-core';
import { describe, expect, it } from 'vitest';
import {
  explainEvaluation,
  newCheckoutFlag,
  SAMPLE_SEGMENTS,
  toFlagdDocument,
} from '@/domain/flags';

const silent = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} };
const KEYS = 10_000;

function coreFor(percent: number) {
  const core = new FlagdCore(undefined, silent);
  core.setConfigurations(
    JSON.stringify(toFlagdDocument([newCheckoutFlag(percent)], SAMPLE_SEGMENTS, 'production')),
  );
  return core;
}

describe('the percentage rollout', () => {
  it.each([5, 20, 50, 90])(
    'gives %i %% of 10 000 targeting keys the on variant, within 1 point',
    (percent) => {
      const core = coreFor(percent);
      let on = 0;
      for (let i = 0; i < KEYS; i++) {
        if (
          core.resolveBooleanEvaluation('new-checkout', false, {
            targetingKey: `user-${i}`,
            email: `user-${i}@example.com`,
          }).value
        )
          on++;
      }
      expect(Math.abs((on / KEYS) * 100 - percent)).toBeLessThanOrEqual(1);
    },
  );

  it('is sticky: a key gets the same answer every time, and the preview buckets it the same way', () => {
    const core = coreFor(20);
    const flag = newCheckoutFlag(20);
    const segments = Object.fromEntries(SAMPLE_SEGMENTS.map((s) => [s.key, s]));
    for (let i = 0; i < 500; i++) {
      const context = { targetingKey: `sticky-${i}`, country: 'US' };
      const first = core.resolveBooleanEvaluation('new-checkout', false, context).value;
      expect(core.resolveBooleanEvaluation('new-checkout', false, context).value).toBe(first);
      expect(explainEvaluation(flag, 'production', context, segments).value).toBe(first);
    }
  });

  it('keeps users who had the feature when the share grows', () => {
    const at20 = coreFor(20);
    const at50 = coreFor(50);
    for (let i = 0; i < 2_000; i++) {
      const context = { targetingKey: `grow-${i}` };
      if (at20.resolveBooleanEvaluation('new-checkout', false, context).value) {
        expect(at50.resolveBooleanEvaluation('new-checkout', false, context).value).toBe(true);
      }
    }
  });
});
