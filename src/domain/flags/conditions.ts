import { z } from 'zod';
import { formatValue } from './values';
import { parseSemVer, SEMVER_COMPARATOR_LABELS, SEMVER_COMPARATORS } from './semver';

/** A context attribute, as a JsonLogic `var` names it: "email", "user.plan". */
const attributeSchema = z
  .string({ error: 'choose an attribute' })
  .min(1, 'choose an attribute')
  .max(100, 'an attribute name is at most 100 characters')
  .regex(
    /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)*$/,
    'an attribute is letters, digits, "_" or "-", with "." between parts',
  );

/** The attributes the forms offer first; any other attribute name may be typed. */
export const ATTRIBUTE_PRESETS = [
  { name: 'email', label: 'Email' },
  { name: 'country', label: 'Country' },
  { name: 'company', label: 'Company' },
  { name: 'appVersion', label: 'App version' },
  { name: 'targetingKey', label: 'Targeting key' },
] as const;

export const segmentKeySchema = z
  .string({ error: 'give the segment a key' })
  .min(1, 'give the segment a key')
  .max(64, 'a segment key is at most 64 characters')
  // flagd names its evaluators with any text: `staffEmail` as well as `staff-email`.
  .regex(/^(?=.*\S)[^\p{Cc}]+$/u, 'a segment key is printable text, not only spaces');

const text = (what: string) =>
  z
    .string({ error: `${what} must be text` })
    .min(1, `${what} cannot be empty`)
    .max(500, `${what} is at most 500 characters`);
const scalar = z.union(
  [z.string().max(500, 'a value is at most 500 characters'), z.number().finite(), z.boolean()],
  {
    error: 'a value is text, a number or true/false',
  },
);

export const conditionSchema = z.discriminatedUnion(
  'operator',
  [
    z.object({
      operator: z.literal('ends_with'),
      attribute: attributeSchema,
      value: text('the ending'),
    }),
    z.object({
      operator: z.literal('starts_with'),
      attribute: attributeSchema,
      value: text('the beginning'),
    }),
    z.object({ operator: z.literal('equals'), attribute: attributeSchema, value: scalar }),
    z.object({ operator: z.literal('not_equals'), attribute: attributeSchema, value: scalar }),
    z.object({
      operator: z.literal('in'),
      attribute: attributeSchema,
      values: z.array(scalar).min(1, 'list at least one value').max(500, 'at most 500 values'),
    }),
    z.object({
      operator: z.literal('not_in'),
      attribute: attributeSchema,
      values: z.array(scalar).min(1, 'list at least one value').max(500, 'at most 500 values'),
    }),
    z.object({
      operator: z.literal('semver'),
      attribute: attributeSchema,
      comparator: z.enum(SEMVER_COMPARATORS, { error: 'choose a comparison' }),
      value: z
        .string({ error: 'a version is text' })
        .max(100, 'a version is at most 100 characters')
        .refine((v) => parseSemVer(v) !== null, 'not a semantic version (like 2.1.0)'),
    }),
    z.object({ operator: z.literal('segment'), segment: segmentKeySchema }),
  ],
  {
    error: 'unknown condition: choose ends with, starts with, equals, in list, version or segment',
  },
);
export type Condition = z.infer<typeof conditionSchema>;
type ConditionOperator = Condition['operator'];

export const OPERATOR_LABELS: Record<ConditionOperator, string> = {
  ends_with: 'ends with',
  starts_with: 'starts with',
  equals: 'is',
  not_equals: 'is not',
  in: 'is one of',
  not_in: 'is none of',
  semver: 'version',
  segment: 'is in segment',
};

/** "email ends with @faultline.dev", "country is one of CO, PE", "in segment colombia". */
export function describeCondition(
  condition: Condition,
  segmentNames: Record<string, string> = {},
): string {
  switch (condition.operator) {
    case 'segment':
      return `in segment ${segmentNames[condition.segment] ?? condition.segment}`;
    case 'in':
    case 'not_in':
      return `${condition.attribute} ${OPERATOR_LABELS[condition.operator]} ${condition.values.map(String).join(', ')}`;
    case 'semver':
      return `${condition.attribute} ${SEMVER_COMPARATOR_LABELS[condition.comparator]} ${condition.value}`;
    case 'equals':
    case 'not_equals': {
      const value =
        typeof condition.value === 'string' ? condition.value : formatValue(condition.value);
      return `${condition.attribute} ${OPERATOR_LABELS[condition.operator]} ${value}`;
    }
    default:
      return `${condition.attribute} ${OPERATOR_LABELS[condition.operator]} ${condition.value}`;
  }
}
