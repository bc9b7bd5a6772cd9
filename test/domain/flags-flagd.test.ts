import { FlagdCore } from '@openfeature/flagd-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fromFlagdDocument,
  newCheckoutFlag,
  SAMPLE_SEGMENTS,
  toFlagdDocument,
} from '@/domain/flags';
import { environmentArb, flagArb, segmentsArb } from './flags-arbitraries';

const silent = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} };

describe('flagd flag definitions', () => {
  it('read back what they were written from: variants, defaults, fallback, rules with their names, and segments', () => {
    fc.assert(
      fc.property(flagArb, segmentsArb, environmentArb, (flag, segments, environment) => {
        const read = fromFlagdDocument(
          JSON.parse(JSON.stringify(toFlagdDocument([flag], segments, environment))),
        );
        if (!read.ok) throw new Error(JSON.stringify(read.issues));
        const [imported] = read.value.flags;
        expect(imported).toEqual({
          key: flag.key,
          variants: flag.variants,
          defaultVariant: flag.defaultVariant,
          offVariant: flag.offVariant,
          fallbackValue: flag.fallbackValue,
          targeting: flag.environments[environment],
          metadata: flag.metadata ?? {},
        });
        expect(read.value.segments).toEqual(
          segments.map(({ key, conditions }) => ({ key, conditions })),
        );
      }),
      { numRuns: 500 },
    );
  });

  it('turns segments into $evaluators that rules $ref', () => {
    const document = toFlagdDocument([newCheckoutFlag()], SAMPLE_SEGMENTS, 'production');
    expect(document.$evaluators).toEqual({
      'internal-employees': { ends_with: [{ var: 'email' }, '@faultline.dev'] },
      colombia: { '===': [{ var: 'country' }, 'CO'] },
      'beta-company': { '===': [{ var: 'company' }, 'Globex'] },
    });
    expect(document.flags['new-checkout']).toMatchObject({
      state: 'ENABLED',
      defaultVariant: 'off',
      variants: { on: true, off: false },
      targeting: {
        if: [
          { $ref: 'internal-employees' },
          'on',
          { $ref: 'colombia' },
          'on',
          { $ref: 'beta-company' },
          'on',
          {
            fractional: [
              ['on', 20],
              ['off', 80],
            ],
          },
        ],
      },
      metadata: { offVariant: 'off', fallbackValue: 'false' },
    });
  });

  it('evaluate in flagd-core as the sample flag says: employees, Colombia and the beta company get on', () => {
    const core = new FlagdCore(undefined, silent);
    core.setConfigurations(
      JSON.stringify(toFlagdDocument([newCheckoutFlag()], SAMPLE_SEGMENTS, 'production')),
    );
    const evaluate = (context: Record<string, string>) =>
      core.resolveBooleanEvaluation('new-checkout', false, context);
    expect(evaluate({ targetingKey: 'u1', email: 'ana@faultline.dev' })).toMatchObject({
      value: true,
      variant: 'on',
      reason: 'TARGETING_MATCH',
    });
    expect(evaluate({ targetingKey: 'u2', country: 'CO' })).toMatchObject({
      value: true,
      reason: 'TARGETING_MATCH',
    });
    expect(evaluate({ targetingKey: 'u3', company: 'Globex' })).toMatchObject({
      value: true,
      reason: 'TARGETING_MATCH',
    });
    expect(evaluate({ email: 'bo@initech.io' })).toMatchObject({
      value: false,
      variant: 'off',
      reason: 'DEFAULT',
    });
  });

  it('mark an environment that is off as DISABLED', () => {
    const flag = newCheckoutFlag();
    flag.environments.production.state = 'off';
    expect(
      toFlagdDocument([flag], SAMPLE_SEGMENTS, 'production').flags['new-checkout']?.state,
    ).toBe('DISABLED');
  });
});

describe('importing flagd JSON', () => {
  const withTargeting = (targeting: unknown) => ({
    flags: {
      f: { state: 'ENABLED', defaultVariant: 'off', variants: { on: true, off: false }, targeting },
    },
  });

  it('reads an if chain the forms write back exactly as rules', () => {
    const targeting = {
      if: [
        { '===': [{ var: 'country' }, 'CO'] },
        'on',
        { in: [{ var: 'company' }, ['Globex', 'Initech']] },
        'on',
      ],
    };
    const read = fromFlagdDocument(withTargeting(targeting));
    expect(read).toEqual({
      ok: true,
      value: {
        segments: [],
        flagSetMetadata: {},
        flags: [
          {
            key: 'f',
            variants: { on: true, off: false },
            defaultVariant: 'off',
            offVariant: 'off',
            fallbackValue: false,
            metadata: {},
            targeting: {
              state: 'on',
              rules: [
                {
                  name: '',
                  conditions: [{ operator: 'equals', attribute: 'country', value: 'CO' }],
                  serve: { kind: 'variant', variant: 'on' },
                },
                {
                  name: '',
                  conditions: [
                    { operator: 'in', attribute: 'company', values: ['Globex', 'Initech'] },
                  ],
                  serve: { kind: 'variant', variant: 'on' },
                },
              ],
            },
          },
        ],
      },
    });
  });

  it.each([
    ['loose equality (==), which is not ===', { if: [{ '==': [{ var: 'n' }, 1] }, 'on', null] }],
    [
      'nested ifs the rules would write as one chain',
      {
        if: [
          { '===': [{ var: 'c' }, 'CO'] },
          'on',
          { if: [{ '===': [{ var: 'c' }, 'PE'] }, 'on'] },
        ],
      },
    ],
    ['an operation the forms cannot express', { if: [{ cat: ['a', 'b'] }, 'on'] }],
    ['"in" on text (a substring test)', { if: [{ in: ['@x', { var: 'email' }] }, 'on'] }],
    ['a custom bucketing key', { fractional: [{ var: 'email' }, ['on', 50], ['off', 50]] }],
    ['a condition on a constant', { if: [{ ends_with: ['abc', 'c'] }, 'on'] }],
    ['a timestamp comparison', { if: [{ '>': [{ var: '$flagd.timestamp' }, 1700000000] }, 'on'] }],
  ])('keeps %s as a JSON rule, exactly as written', (_name, targeting) => {
    const read = fromFlagdDocument(withTargeting(targeting));
    expect(read.ok).toBe(true);
    if (read.ok)
      expect(read.value.flags[0]?.targeting).toEqual({ state: 'on', rules: [], logic: targeting });
  });

  it('keep rule names only while they still fit the rules, and refuse names that are not a list of text', () => {
    const flag = newCheckoutFlag();
    const document = toFlagdDocument([flag], SAMPLE_SEGMENTS, 'production') as {
      flags: Record<string, { metadata: Record<string, unknown>; targeting: unknown }>;
    };
    const exported = document.flags['new-checkout'];
    if (!exported) throw new Error('not exported');
    expect(JSON.parse(String(exported.metadata.ruleNames))).toEqual([
      'Internal employees',
      'Colombia',
      'Beta company',
      'Everyone else',
    ]);

    // The targeting edited by hand since: one rule left, four names. The rule comes in unnamed.
    exported.targeting = {
      fractional: [
        ['on', 10],
        ['off', 90],
      ],
    };
    const edited = fromFlagdDocument(JSON.parse(JSON.stringify(document)));
    expect(edited.ok && edited.value.flags[0]?.targeting.rules.map((r) => r.name)).toEqual(['']);

    // Names that are not a list of text are not ours to read: they stay the flag's own metadata.
    exported.metadata.ruleNames = '{"not":"a list"}';
    const kept = fromFlagdDocument(JSON.parse(JSON.stringify(document)));
    expect(kept.ok && kept.value.flags[0]?.metadata).toEqual({ ruleNames: '{"not":"a list"}' });
  });

  it('reads a flag without a default variant, or with null, as having none', () => {
    for (const flag of [
      { state: 'ENABLED', variants: { on: true } },
      { state: 'ENABLED', variants: { on: true }, defaultVariant: null },
    ]) {
      const read = fromFlagdDocument({ flags: { f: flag } });
      expect(read.ok && read.value.flags[0]?.defaultVariant).toBeNull();
    }
  });

  it('refuses a flag without a state, as flagd does, naming where', () => {
    const read = fromFlagdDocument({
      flags: { f: { variants: { on: true }, defaultVariant: 'on' } },
    });
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.issues[0]?.path).toBe('flags.f.state');
  });
});
