import { FlagdCore } from '@openfeature/flagd-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  explainEvaluation,
  flagSpecSchema,
  flagTypeOf,
  toFlagdDocument,
  type EvaluationContext,
  type FlagSpec,
  type SegmentSpec,
} from '@/domain/flags';
import type { Environment } from '@/domain/environments';
import { contextArb, environmentArb, flagArb, segmentsArb } from './flags-arbitraries';

const silent = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} };

function flagdEvaluator(flag: FlagSpec, environment: Environment, segments: SegmentSpec[]) {
  const core = new FlagdCore(undefined, silent);
  core.setConfigurations(JSON.stringify(toFlagdDocument([flag], segments, environment)));
  const type = flagTypeOf(flag) ?? 'boolean';
  const defaults = { boolean: false, string: '', number: 0, object: {} } as const;
  return (context: EvaluationContext) =>
    core.resolve(type, flag.key, defaults[type], context as never);
}

describe('the preview explanation', () => {
  it('names the variant and reason that flagd-core returns, over generated flags, segments and contexts', () => {
    fc.assert(
      fc.property(
        flagArb,
        segmentsArb,
        environmentArb,
        fc.array(contextArb, { minLength: 5, maxLength: 5 }),
        (flag, segments, environment, contexts) => {
          expect(flagSpecSchema.safeParse(flag).success).toBe(true);
          const evaluate = flagdEvaluator(flag, environment, segments);
          const byKey = Object.fromEntries(segments.map((s) => [s.key, s]));
          for (const context of contexts) {
            const explained = explainEvaluation(flag, environment, context, byKey);
            const flagd = evaluate(context);
            expect(flagd.errorCode).toBeUndefined();
            expect(explained.reason).toBe(flagd.reason);
            if (flagd.reason !== 'DISABLED') {
              expect(explained.variant).toBe(flagd.variant);
              expect(explained.value).toEqual(flagd.value);
            }
          }
        },
      ),
      // 800 flags × 5 contexts: 4 000 evaluations.
      { numRuns: 800 },
    );
  }, 60_000);

  it('says which rule matched and why', () => {
    const flag: FlagSpec = {
      key: 'beta-banner',
      description: '',
      services: [],
      variants: { on: true, off: false },
      defaultVariant: 'off',
      offVariant: 'off',
      fallbackValue: false,
      environments: {
        development: { state: 'off', rules: [] },
        testing: { state: 'off', rules: [] },
        staging: { state: 'off', rules: [] },
        production: {
          state: 'on',
          rules: [
            {
              name: 'Peru',
              conditions: [{ operator: 'equals', attribute: 'country', value: 'PE' }],
              serve: { kind: 'variant', variant: 'on' },
            },
            {
              name: 'Staff',
              conditions: [{ operator: 'ends_with', attribute: 'email', value: '@faultline.dev' }],
              serve: { kind: 'variant', variant: 'on' },
            },
          ],
        },
      },
    };
    const staff = explainEvaluation(flag, 'production', {
      email: 'ana@faultline.dev',
      country: 'CO',
    });
    expect(staff).toMatchObject({ variant: 'on', reason: 'TARGETING_MATCH', matchedRule: 1 });
    expect(staff.rules[0]?.matched).toBe(false);
    expect(staff.summary).toContain('rule 2 "Staff" matched: email ends with @faultline.dev');

    const outsider = explainEvaluation(flag, 'production', {
      email: 'bo@globex.com',
      country: 'US',
    });
    expect(outsider).toMatchObject({ variant: 'off', reason: 'DEFAULT', matchedRule: null });

    expect(explainEvaluation(flag, 'staging', { country: 'PE' })).toMatchObject({
      variant: 'off',
      reason: 'DISABLED',
    });
  });

  it('says a rollout could not bucket a context without a targeting key', () => {
    const flag: FlagSpec = {
      key: 'split',
      description: '',
      services: [],
      variants: { on: true, off: false },
      defaultVariant: 'off',
      offVariant: 'off',
      fallbackValue: false,
      environments: {
        development: {
          state: 'on',
          rules: [
            {
              name: '',
              conditions: [],
              serve: { kind: 'rollout', split: [{ variant: 'on', weight: 100 }] },
            },
          ],
        },
        testing: { state: 'off', rules: [] },
        staging: { state: 'off', rules: [] },
        production: { state: 'off', rules: [] },
      },
    };
    expect(explainEvaluation(flag, 'development', {})).toMatchObject({
      variant: 'off',
      reason: 'DEFAULT',
      missingTargetingKey: true,
    });
    expect(explainEvaluation(flag, 'development', { targetingKey: 'u1' })).toMatchObject({
      variant: 'on',
      reason: 'TARGETING_MATCH',
      missingTargetingKey: false,
    });
  });
});
