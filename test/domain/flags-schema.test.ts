import { describe, expect, it } from 'vitest';
import { fieldIssues, issuesByPath } from '@/domain/validation';
import {
  flagSpecSchema,
  newCheckoutFlag,
  segmentSpecSchema,
  unknownSegmentIssues,
  type FlagSpecInput,
} from '@/domain/flags';

function issuesOf(input: unknown): Record<string, string> {
  const parsed = flagSpecSchema.safeParse(input);
  if (parsed.success) return {};
  return issuesByPath(fieldIssues(parsed.error));
}

function withProductionRules(rules: unknown): FlagSpecInput {
  const flag = newCheckoutFlag();
  return {
    ...flag,
    environments: { ...flag.environments, production: { state: 'on', rules } },
  } as FlagSpecInput;
}

describe('flag definitions', () => {
  it('accepts the sample new-checkout flag', () => {
    expect(issuesOf(newCheckoutFlag())).toEqual({});
  });

  it.each([
    [
      'mixed variant types',
      { ...newCheckoutFlag(), variants: { on: true, off: 'no' } },
      'variants.off',
      /one type/,
    ],
    [
      'an array variant',
      { ...newCheckoutFlag(), variants: { on: true, off: [false] } },
      'variants.off',
      /boolean, a string, a number or a JSON object/,
    ],
    [
      'an unknown default variant',
      { ...newCheckoutFlag(), defaultVariant: 'maybe' },
      'defaultVariant',
      /unknown variant "maybe": choose one of on, off/,
    ],
    [
      'an unknown off variant',
      { ...newCheckoutFlag(), offVariant: 'nope' },
      'offVariant',
      /unknown variant "nope"/,
    ],
    [
      'a fallback of another type',
      { ...newCheckoutFlag(), fallbackValue: 'false' },
      'fallbackValue',
      /must be boolean/,
    ],
    ['no variants', { ...newCheckoutFlag(), variants: {} }, 'variants', /at least one variant/],
    ['a reserved key', { ...newCheckoutFlag(), key: 'export' }, 'key', /reserved/],
    [
      'a key with a control character',
      { ...newCheckoutFlag(), key: 'new\ncheckout' },
      'key',
      /printable/,
    ],
    ['a key of spaces only', { ...newCheckoutFlag(), key: '   ' }, 'key', /printable/],
  ])('refuses %s, naming the field', (_name, input, path, message) => {
    const issues = issuesOf(input);
    expect(issues[path]).toMatch(message);
  });

  it.each([
    [
      'a rule serving an unknown variant',
      [
        {
          conditions: [{ operator: 'equals', attribute: 'country', value: 'CO' }],
          serve: { kind: 'variant', variant: 'maybe' },
        },
      ],
      'environments.production.rules.0.serve.variant',
      /unknown variant "maybe"/,
    ],
    [
      'a version comparison with no version',
      [
        {
          conditions: [
            { operator: 'semver', attribute: 'appVersion', comparator: '>=', value: 'two' },
          ],
          serve: { kind: 'variant', variant: 'on' },
        },
      ],
      'environments.production.rules.0.conditions.0.value',
      /not a semantic version/,
    ],
    [
      'an unknown operator',
      [
        {
          conditions: [{ operator: 'contains', attribute: 'email', value: 'x' }],
          serve: { kind: 'variant', variant: 'on' },
        },
      ],
      'environments.production.rules.0.conditions.0.operator',
      /unknown condition/,
    ],
    [
      'an empty list',
      [
        {
          conditions: [{ operator: 'in', attribute: 'country', values: [] }],
          serve: { kind: 'variant', variant: 'on' },
        },
      ],
      'environments.production.rules.0.conditions.0.values',
      /at least one value/,
    ],
    [
      'a rollout with no share',
      [{ conditions: [], serve: { kind: 'rollout', split: [{ variant: 'on', weight: 0 }] } }],
      'environments.production.rules.0.serve.split',
      /some share/,
    ],
    [
      'a rule for everyone before other rules',
      [
        { conditions: [], serve: { kind: 'variant', variant: 'on' } },
        {
          conditions: [{ operator: 'equals', attribute: 'country', value: 'CO' }],
          serve: { kind: 'variant', variant: 'off' },
        },
      ],
      'environments.production.rules.0.conditions',
      /must be the last rule/,
    ],
    [
      'a bad attribute name',
      [
        {
          conditions: [{ operator: 'equals', attribute: 'e mail', value: 'x' }],
          serve: { kind: 'variant', variant: 'on' },
        },
      ],
      'environments.production.rules.0.conditions.0.attribute',
      /attribute/,
    ],
  ])('refuses %s, naming the field', (_name, rules, path, message) => {
    expect(issuesOf(withProductionRules(rules))[path]).toMatch(message);
  });

  it('names rules that use a segment that does not exist', () => {
    const issues = unknownSegmentIssues(
      newCheckoutFlag(),
      new Set(['internal-employees', 'colombia']),
    );
    expect(issues).toEqual([
      {
        path: 'environments.staging.rules.2.conditions.0.segment',
        message: 'unknown segment "beta-company"',
      },
      {
        path: 'environments.production.rules.2.conditions.0.segment',
        message: 'unknown segment "beta-company"',
      },
    ]);
  });
});

describe('segments', () => {
  it('refuses a segment inside a segment', () => {
    const parsed = segmentSpecSchema.safeParse({
      key: 'staff',
      name: 'Staff',
      conditions: [{ operator: 'segment', segment: 'colombia' }],
    });
    expect(parsed.success).toBe(false);
    expect(issuesByPath(fieldIssues(parsed.error!))['conditions.0.operator']).toMatch(
      /cannot contain another segment/,
    );
  });

  it('refuses a segment without conditions', () => {
    const parsed = segmentSpecSchema.safeParse({ key: 'staff', name: 'Staff', conditions: [] });
    expect(issuesByPath(fieldIssues(parsed.error!))['conditions']).toMatch(
      /at least one condition/,
    );
  });
});
