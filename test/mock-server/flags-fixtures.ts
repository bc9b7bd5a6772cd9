import type { FlagSpecInput } from '@/domain/flags';

/** A boolean flag for staff in production, off elsewhere. */
export function staffFlag(
  key = 'dark-mode',
  overrides: Partial<FlagSpecInput> = {},
): FlagSpecInput {
  const off = { state: 'off' as const, rules: [] };
  return {
    key,
    description: 'Dark theme for the dashboard',
    services: ['web'],
    variants: { on: true, off: false },
    defaultVariant: 'off',
    offVariant: 'off',
    fallbackValue: false,
    environments: {
      development: off,
      testing: off,
      staging: off,
      production: {
        state: 'on',
        rules: [
          {
            name: 'Staff',
            conditions: [{ operator: 'segment', segment: 'internal-employees' }],
            serve: { kind: 'variant', variant: 'on' },
          },
        ],
      },
    },
    ...overrides,
  };
}
