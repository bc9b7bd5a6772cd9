import fc from 'fast-check';
import type {
  Condition,
  EvaluationContext,
  FlagSpec,
  FlagValue,
  Rule,
  SegmentSpec,
  Serve,
} from '@/domain/flags';
import { SEMVER_COMPARATORS } from '@/domain/flags';
import type { Environment } from '@/domain/environments';

const emails = [
  'ana@faultline.dev',
  'bo@globex.com',
  'cy@initech.io',
  'dee@faultline.dev.evil.com',
  'root@faultline.dev',
  '',
];
const countries = ['CO', 'PE', 'US', 'DE', 'co'];
const companies = ['Globex', 'Initech', 'Acme', 'globex'];
const versions = [
  '1.0.0',
  '2.0.0',
  '2.1.0',
  '2.1.0-beta.1',
  '2.1.0-beta.10',
  '2.1.0-alpha',
  'v2.0.0',
  '2',
  '2.1',
  '01.2.3',
  '1.2.3.4',
  'banana',
  '3.0.0+build.7',
];

/** Values drawn from small pools, so that conditions hold about as often as not. */
const scalar = fc.oneof(
  fc.constantFrom(...emails, ...countries, ...companies, ...versions),
  fc.integer({ min: 0, max: 3 }),
  fc.boolean(),
);

export const contextArb: fc.Arbitrary<EvaluationContext> = fc.record(
  {
    targetingKey: fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.string({ unit: 'binary', maxLength: 6 }),
      fc.uuid(),
      fc.constant(''),
    ),
    email: fc.oneof(fc.constantFrom(...emails), fc.emailAddress()),
    country: fc.constantFrom(...countries),
    company: fc.constantFrom(...companies),
    appVersion: fc.oneof(fc.constantFrom(...versions), fc.integer({ min: 0, max: 3 })),
    plan: scalar,
    user: fc.record({ tier: fc.constantFrom('gold', 'silver', 3) }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
);

const attribute = fc.constantFrom(
  'email',
  'country',
  'company',
  'appVersion',
  'plan',
  'targetingKey',
  'user.tier',
  'missing',
);

const plainConditionArb: fc.Arbitrary<Condition> = fc.oneof(
  fc.record({
    operator: fc.constant('ends_with' as const),
    attribute,
    value: fc.constantFrom('@faultline.dev', '.io', 'com', 'O'),
  }),
  fc.record({
    operator: fc.constant('starts_with' as const),
    attribute,
    value: fc.constantFrom('ana', 'G', '2.', 'root@'),
  }),
  fc.record({ operator: fc.constant('equals' as const), attribute, value: scalar }),
  fc.record({ operator: fc.constant('not_equals' as const), attribute, value: scalar }),
  fc.record({
    operator: fc.constant('in' as const),
    attribute,
    values: fc.array(scalar, { minLength: 1, maxLength: 4 }),
  }),
  fc.record({
    operator: fc.constant('not_in' as const),
    attribute,
    values: fc.array(scalar, { minLength: 1, maxLength: 4 }),
  }),
  fc.record({
    operator: fc.constant('semver' as const),
    attribute: fc.constantFrom('appVersion', 'plan', 'missing'),
    comparator: fc.constantFrom(...SEMVER_COMPARATORS),
    value: fc.constantFrom('1.0.0', '2.0.0', '2.1.0-beta.2', '2.1', 'v2.1.0', '3'),
  }),
);

const SEGMENT_KEYS = ['seg-a', 'seg-b', 'seg-c'] as const;

export const segmentsArb: fc.Arbitrary<SegmentSpec[]> = fc.tuple(
  ...SEGMENT_KEYS.map((key) =>
    fc
      .array(plainConditionArb, { minLength: 1, maxLength: 3 })
      .map((conditions) => ({ key, name: key.toUpperCase(), description: '', conditions })),
  ),
);

const conditionArb: fc.Arbitrary<Condition> = fc.oneof(
  { weight: 3, arbitrary: plainConditionArb },
  {
    weight: 1,
    arbitrary: fc.record({
      operator: fc.constant('segment' as const),
      segment: fc.constantFrom(...SEGMENT_KEYS),
    }),
  },
);

const variantSets: { variants: Record<string, FlagValue>; fallbackValue: FlagValue }[] = [
  { variants: { on: true, off: false }, fallbackValue: false },
  { variants: { blue: 'blue', green: 'green', red: 'red' }, fallbackValue: 'blue' },
  { variants: { low: 1, mid: 5, high: 10, max: 100 }, fallbackValue: 1 },
  { variants: { a: { layout: 'a' }, b: { layout: 'b', beta: true } }, fallbackValue: {} },
];

function serveArb(names: string[]): fc.Arbitrary<Serve> {
  return fc.oneof(
    fc.record({ kind: fc.constant('variant' as const), variant: fc.constantFrom(...names) }),
    fc
      .shuffledSubarray(names, { minLength: 1 })
      .chain((picked) =>
        fc.tuple(
          ...picked.map((variant) =>
            fc.integer({ min: 0, max: 100 }).map((weight) => ({ variant, weight })),
          ),
        ),
      )
      .filter((split) => split.some((entry) => entry.weight > 0))
      .map((split) => ({ kind: 'rollout' as const, split })),
  );
}

function rulesArb(names: string[]): fc.Arbitrary<Rule[]> {
  const rule = (minConditions: number) =>
    fc.record({
      name: fc.constantFrom('', 'Rule'),
      conditions: fc.array(conditionArb, { minLength: minConditions, maxLength: 3 }),
      serve: serveArb(names),
    });
  // Only the last rule may have no condition (a rule for everyone).
  return fc
    .tuple(fc.array(rule(1), { maxLength: 4 }), fc.option(rule(0), { nil: undefined }))
    .map(([rules, last]) => (last ? [...rules, last] : rules));
}

export const flagArb: fc.Arbitrary<FlagSpec> = fc
  .constantFrom(...variantSets)
  .chain(({ variants, fallbackValue }) => {
    const names = Object.keys(variants);
    const targeting = fc.record({
      state: fc.constantFrom('on' as const, 'on' as const, 'off' as const),
      rules: rulesArb(names),
    });
    return fc.record({
      key: fc.constantFrom('new-checkout', 'dark-mode', 'x', 'pricing.v2'),
      description: fc.constant(''),
      services: fc.constant<string[]>([]),
      variants: fc.constant(variants),
      defaultVariant: fc.constantFrom(...names),
      offVariant: fc.constantFrom(...names),
      fallbackValue: fc.constant(fallbackValue),
      environments: fc.record({
        development: targeting,
        testing: targeting,
        staging: targeting,
        production: targeting,
      }),
    });
  });

export const environmentArb: fc.Arbitrary<Environment> = fc.constantFrom(
  'development',
  'testing',
  'staging',
  'production',
);
