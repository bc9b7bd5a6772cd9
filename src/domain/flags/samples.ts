import type { FlagSpec } from './flag';
import type { SegmentSpec } from './segments';

/** The company whose people are "internal employees" in the sample data. */
const SAMPLE_COMPANY_DOMAIN = 'faultline.dev';
const SAMPLE_BETA_COMPANY = 'Globex';

export const SAMPLE_SEGMENTS: SegmentSpec[] = [
  {
    key: 'internal-employees',
    name: 'Internal employees',
    description: `Everyone with an @${SAMPLE_COMPANY_DOMAIN} email address.`,
    conditions: [{ operator: 'ends_with', attribute: 'email', value: `@${SAMPLE_COMPANY_DOMAIN}` }],
  },
  {
    key: 'colombia',
    name: 'Colombia',
    description: 'Users in Colombia.',
    conditions: [{ operator: 'equals', attribute: 'country', value: 'CO' }],
  },
  {
    key: 'beta-company',
    name: 'Beta company',
    description: `${SAMPLE_BETA_COMPANY}, who agreed to try features first.`,
    conditions: [{ operator: 'equals', attribute: 'company', value: SAMPLE_BETA_COMPANY }],
  },
];

/** The rollout share of "new-checkout" in production for everyone outside the segments, in %. */
const NEW_CHECKOUT_ROLLOUT_PERCENT = 20;

/**
 * The new checkout path: internal employees, Colombia and the beta company first, then 20 %
 * of everyone else, bucketed by targeting key.
 */
export function newCheckoutFlag(rolloutPercent = NEW_CHECKOUT_ROLLOUT_PERCENT): FlagSpec {
  const targeted = {
    state: 'on' as const,
    rules: [
      {
        name: 'Internal employees',
        conditions: [{ operator: 'segment' as const, segment: 'internal-employees' }],
        serve: { kind: 'variant' as const, variant: 'on' },
      },
      {
        name: 'Colombia',
        conditions: [{ operator: 'segment' as const, segment: 'colombia' }],
        serve: { kind: 'variant' as const, variant: 'on' },
      },
      {
        name: 'Beta company',
        conditions: [{ operator: 'segment' as const, segment: 'beta-company' }],
        serve: { kind: 'variant' as const, variant: 'on' },
      },
      {
        name: 'Everyone else',
        conditions: [],
        serve: {
          kind: 'rollout' as const,
          split: [
            { variant: 'on', weight: rolloutPercent },
            { variant: 'off', weight: 100 - rolloutPercent },
          ],
        },
      },
    ],
  };
  return {
    key: 'new-checkout',
    description: 'The rewritten checkout flow (one-page payment).',
    services: ['checkout'],
    variants: { on: true, off: false },
    defaultVariant: 'off',
    offVariant: 'off',
    fallbackValue: false,
    environments: {
      development: {
        state: 'on',
        rules: [{ name: 'Everyone', conditions: [], serve: { kind: 'variant', variant: 'on' } }],
      },
      testing: {
        state: 'on',
        rules: [{ name: 'Everyone', conditions: [], serve: { kind: 'variant', variant: 'on' } }],
      },
      staging: targeted,
      production: targeted,
    },
  };
}
