import { z } from 'zod';
import { ENVIRONMENTS, type Environment } from '../environments';
import { conditionSchema, type Condition } from './conditions';
import { flagdMetadataSchema, jsonLogicSchema } from './flagd-document';
import {
  FLAG_TYPE_LABELS,
  type JsonValue,
  flagValueSchema,
  formatValue,
  typeOfValue,
  type FlagType,
  type FlagValue,
} from './values';

/** Keys the API and the dashboard use for their own routes under /flags. */
const RESERVED_FLAG_KEYS = ['export', 'import', 'new'] as const;

/** Text a person can read back: no control characters, not only spaces. */
const PRINTABLE = /^(?=.*\S)[^\p{Cc}]+$/u;

/** flagd's rule for keys (any text) within a length bound: `new-checkout`, `myBoolFlag`. */
const flagKeySchema = z
  .string({ error: 'give the flag a key' })
  .min(1, 'give the flag a key')
  .max(100, 'a key is at most 100 characters')
  .regex(PRINTABLE, 'a key is printable text, not only spaces')
  .refine(
    (key) => !(RESERVED_FLAG_KEYS as readonly string[]).includes(key),
    'this key is reserved: choose another',
  );

export const variantNameSchema = z
  .string({ error: 'name the variant' })
  .min(1, 'name the variant')
  .max(64, 'a variant name is at most 64 characters')
  .regex(PRINTABLE, 'a variant name is printable text, not only spaces');

const MAX_VARIANTS = 20;
const MAX_RULES = 50;
const MAX_RULE_CONDITIONS = 20;
/** Largest weight of one variant in a rollout (flagd sums weights as 32-bit integers). */
const MAX_WEIGHT = 1_000_000;

const splitEntrySchema = z.object({
  variant: variantNameSchema,
  weight: z
    .number({ error: 'a weight is a number' })
    .int('a weight is a whole number')
    .min(0, 'a weight cannot be negative')
    .max(MAX_WEIGHT, `a weight is at most ${MAX_WEIGHT}`),
});

/**
 * What a rule serves: one variant, or a percentage rollout that buckets each targeting key
 * into a variant by weight. Bucketing hashes the flag key with the targeting key, so the same
 * user always lands in the same bucket (sticky).
 */
const serveSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('variant'), variant: variantNameSchema }),
    z.object({
      kind: z.literal('rollout'),
      split: z
        .array(splitEntrySchema)
        .min(1, 'a rollout needs at least one variant')
        .max(MAX_VARIANTS),
    }),
  ],
  { error: 'serve one variant or a rollout' },
);
export type Serve = z.infer<typeof serveSchema>;

/** An ordered targeting rule: the first rule whose conditions all hold decides. No condition: everyone. */
const ruleSchema = z.object({
  name: z.string().max(80, 'a rule name is at most 80 characters').default(''),
  conditions: z
    .array(conditionSchema)
    .max(MAX_RULE_CONDITIONS, `at most ${MAX_RULE_CONDITIONS} conditions in a rule`),
  serve: serveSchema,
});
export type Rule = z.infer<typeof ruleSchema>;

const FLAG_STATES = ['on', 'off'] as const;
const flagStateSchema = z.enum(FLAG_STATES);
export type FlagState = z.infer<typeof flagStateSchema>;

/**
 * One environment's view of a flag. `off` is the kill switch: everyone gets the off variant.
 * Targeting is ordered rules, or a JSON rule: flagd's JsonLogic kept as written, for what the
 * rules cannot draw (an imported `cat`, a substring `in`, `$flagd.timestamp`, custom bucketing).
 */
const environmentTargetingSchema = z.object({
  state: flagStateSchema,
  rules: z.array(ruleSchema).max(MAX_RULES, `at most ${MAX_RULES} rules`),
  logic: jsonLogicSchema.optional(),
});
export type EnvironmentTargeting = z.infer<typeof environmentTargetingSchema>;

const flagFields = z.object({
  key: flagKeySchema,
  description: z.string().max(1000, 'a description is at most 1000 characters').default(''),
  /** The services that read this flag: where its cohort is served. */
  services: z.array(z.string().min(1).max(64)).max(20).default([]),
  /** Every variant holds a value of one type: boolean, string, number or JSON object. */
  variants: z.record(variantNameSchema, flagValueSchema),
  /**
   * Served when no rule matches (and when a rollout cannot bucket a context without a targeting
   * key). null: no default variant, as flagd allows: the application's own default is used.
   */
  defaultVariant: variantNameSchema.nullable(),
  /** Served to everyone while the flag is off in an environment. */
  offVariant: variantNameSchema,
  /** What applications use until they reach the flag service: shown in the UI and exported. */
  fallbackValue: flagValueSchema,
  environments: z.object({
    development: environmentTargetingSchema,
    testing: environmentTargetingSchema,
    staging: environmentTargetingSchema,
    production: environmentTargetingSchema,
  }),
  /** A flag's own flagd metadata (owner, team…): kept, exported and served with evaluations. */
  metadata: flagdMetadataSchema.optional(),
});

type FlagFields = z.infer<typeof flagFields>;

/** The type every variant shares, from the first variant; null when there is none. */
export function flagTypeOf(flag: Pick<FlagFields, 'variants'>): FlagType | null {
  const first = Object.values(flag.variants)[0];
  return first === undefined ? null : typeOfValue(first);
}

function checkServe(
  serve: Serve,
  known: Set<string>,
  path: (string | number)[],
  ctx: z.RefinementCtx,
) {
  const unknown = (variant: string) =>
    `unknown variant "${variant}": choose one of ${[...known].join(', ')}`;
  if (serve.kind === 'variant') {
    if (!known.has(serve.variant))
      ctx.addIssue({ code: 'custom', path: [...path, 'variant'], message: unknown(serve.variant) });
    return;
  }
  const seen = new Set<string>();
  serve.split.forEach((entry, index) => {
    if (!known.has(entry.variant))
      ctx.addIssue({
        code: 'custom',
        path: [...path, 'split', index, 'variant'],
        message: unknown(entry.variant),
      });
    else if (seen.has(entry.variant))
      ctx.addIssue({
        code: 'custom',
        path: [...path, 'split', index, 'variant'],
        message: `"${entry.variant}" is already in this rollout`,
      });
    seen.add(entry.variant);
  });
  if (serve.split.reduce((sum, entry) => sum + entry.weight, 0) <= 0) {
    ctx.addIssue({
      code: 'custom',
      path: [...path, 'split'],
      message: 'a rollout must give some share to a variant',
    });
  }
}

function checkRules(
  { rules, logic }: EnvironmentTargeting,
  known: Set<string>,
  environment: Environment,
  ctx: z.RefinementCtx,
) {
  if (logic !== undefined && rules.length > 0)
    ctx.addIssue({
      code: 'custom',
      path: ['environments', environment, 'logic'],
      message: 'a JSON rule replaces the rules: keep one or the other',
    });
  rules.forEach((rule, index) => {
    const path = ['environments', environment, 'rules', index];
    checkServe(rule.serve, known, [...path, 'serve'], ctx);
    if (rule.conditions.length === 0 && index < rules.length - 1) {
      ctx.addIssue({
        code: 'custom',
        path: [...path, 'conditions'],
        message:
          'a rule for everyone must be the last rule: the rules after it would never be reached',
      });
    }
  });
}

/** Checks what one field cannot check alone, naming the field at fault. */
function checkFlag(flag: FlagFields, ctx: z.RefinementCtx) {
  const names = Object.keys(flag.variants);
  if (names.length === 0)
    ctx.addIssue({ code: 'custom', path: ['variants'], message: 'add at least one variant' });
  if (names.length > MAX_VARIANTS)
    ctx.addIssue({
      code: 'custom',
      path: ['variants'],
      message: `at most ${MAX_VARIANTS} variants`,
    });
  const type = flagTypeOf(flag);
  const [firstName] = names;
  for (const name of names) {
    const own = typeOfValue(flag.variants[name]);
    if (type && own !== type) {
      ctx.addIssue({
        code: 'custom',
        path: ['variants', name],
        message:
          `every variant has one type: "${firstName}" is ${FLAG_TYPE_LABELS[type]}, ` +
          `this one is ${own ? FLAG_TYPE_LABELS[own] : 'not a flag value'}`,
      });
    }
  }
  const known = new Set(names);
  const choose = `choose one of ${names.join(', ')}`;
  if (flag.defaultVariant !== null && !known.has(flag.defaultVariant)) {
    ctx.addIssue({
      code: 'custom',
      path: ['defaultVariant'],
      message: `unknown variant "${flag.defaultVariant}": ${choose}`,
    });
  }
  if (!known.has(flag.offVariant)) {
    ctx.addIssue({
      code: 'custom',
      path: ['offVariant'],
      message: `unknown variant "${flag.offVariant}": ${choose}`,
    });
  }
  const fallbackType = typeOfValue(flag.fallbackValue);
  if (type && fallbackType !== type) {
    ctx.addIssue({
      code: 'custom',
      path: ['fallbackValue'],
      message: `the fallback value must be ${FLAG_TYPE_LABELS[type]} like the variants, not ${formatValue(flag.fallbackValue)}`,
    });
  }
  for (const environment of ENVIRONMENTS)
    checkRules(flag.environments[environment], known, environment, ctx);
}

/** What a person edits: everything but the version and the bookkeeping. */
export const flagSpecSchema = flagFields.superRefine(checkFlag);
export type FlagSpec = z.infer<typeof flagSpecSchema>;
export type FlagSpecInput = z.input<typeof flagSpecSchema>;

export const flagSchema = flagFields.extend({
  version: z.number().int(),
  createdAt: z.number(),
  updatedAt: z.number(),
  updatedBy: z.string(),
});
export type Flag = z.infer<typeof flagSchema>;

export function flagSpecOf(flag: Flag): FlagSpec {
  const {
    key,
    description,
    services,
    variants,
    defaultVariant,
    offVariant,
    fallbackValue,
    environments,
    metadata,
  } = flag;
  return {
    key,
    description,
    services,
    variants,
    defaultVariant,
    offVariant,
    fallbackValue,
    environments,
    metadata,
  };
}

/** The evaluators a JSON rule names with `{"$ref": "key"}`, in order of appearance. */
function refsIn(logic: JsonValue | undefined): string[] {
  const refs: string[] = [];
  const stack: unknown[] = logic === undefined ? [] : [logic];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object') continue;
    const entries = Object.entries(node as Record<string, unknown>);
    const [only] = entries;
    if (entries.length === 1 && only?.[0] === '$ref' && typeof only[1] === 'string')
      refs.push(only[1]);
    else stack.push(...entries.map(([, value]) => value).reverse());
  }
  return refs;
}

/** The segments a flag's rules (or JSON rules) name, in any environment. */
export function segmentsUsedBy(flag: Pick<FlagSpec, 'environments'>): Set<string> {
  const used = new Set<string>();
  for (const environment of ENVIRONMENTS) {
    for (const ref of refsIn(flag.environments[environment].logic)) used.add(ref);
    for (const rule of flag.environments[environment].rules) {
      for (const condition of rule.conditions)
        if (condition.operator === 'segment') used.add(condition.segment);
    }
  }
  return used;
}

/** Issues for segments that a flag names but that do not exist. */
export function unknownSegmentIssues(
  flag: Pick<FlagSpec, 'environments'>,
  known: ReadonlySet<string>,
): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  for (const environment of ENVIRONMENTS) {
    for (const ref of refsIn(flag.environments[environment].logic)) {
      if (!known.has(ref))
        issues.push({
          path: `environments.${environment}.logic`,
          message: `unknown segment "${ref}" in {"$ref": "${ref}"}`,
        });
    }
    flag.environments[environment].rules.forEach((rule, ruleIndex) => {
      rule.conditions.forEach((condition: Condition, index) => {
        if (condition.operator === 'segment' && !known.has(condition.segment)) {
          issues.push({
            path: `environments.${environment}.rules.${ruleIndex}.conditions.${index}.segment`,
            message: `unknown segment "${condition.segment}"`,
          });
        }
      });
    });
  }
  return issues;
}

/** A new environment view: off, no rules. */
export function emptyTargeting(): EnvironmentTargeting {
  return { state: 'off', rules: [] };
}

/** The value a flag serves while it is off. */
export function offValueOf(flag: Pick<FlagSpec, 'variants' | 'offVariant'>): FlagValue | undefined {
  return flag.variants[flag.offVariant];
}
