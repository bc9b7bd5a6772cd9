import { z } from 'zod';
import { boundedJsonSchema, JSON_VALUE_LIMITS, type JsonValue } from '../bounded-json';
import { fieldIssues, type FieldIssue } from '../validation';
import { FLAG_TYPE_LABELS, flagValueSchema, typeOfValue, type FlagValue } from './values';

/**
 * flagd's flag-definition document (https://flagd.dev/schema/v0/flags.json), described once.
 * The import reads it, the export writes it, and its types are inferred from here.
 */

export const FLAGD_SCHEMA_URL = 'https://flagd.dev/schema/v0/flags.json';

/** A JsonLogic expression, as flagd's targeting and `$evaluators` hold it. */
export type JsonLogic = JsonValue;
export const jsonLogicSchema = boundedJsonSchema<JsonLogic>(JSON_VALUE_LIMITS);

/** flagd's keys are any non-empty text. */
const flagdKeySchema = z.string().min(1, 'a key is at least one character');

export const flagdMetadataSchema = z.record(
  flagdKeySchema,
  z.union([z.string(), z.number(), z.boolean()], {
    error: 'a metadata value is text, a number or true/false',
  }),
);
export type FlagdMetadata = z.infer<typeof flagdMetadataSchema>;

/** What flagd assumes for a boolean flag that lists no variants. */
const BOOLEAN_VARIANTS: Record<string, FlagValue> = { true: true, false: false };

const flagdFlagFields = z.object({
  state: z.enum(['ENABLED', 'DISABLED'], {
    error: 'a flag needs a state: ENABLED or DISABLED',
  }),
  variants: z
    .record(flagdKeySchema, flagValueSchema)
    .refine((variants) => Object.keys(variants).length > 0, 'a flag needs at least one variant')
    .default(BOOLEAN_VARIANTS),
  /** null or absent: no default variant, the application's own default is used. */
  defaultVariant: z.string().nullable().optional(),
  targeting: jsonLogicSchema.optional(),
  metadata: flagdMetadataSchema.optional(),
});

function checkFlagdFlag(flag: z.infer<typeof flagdFlagFields>, ctx: z.RefinementCtx) {
  const names = Object.keys(flag.variants);
  const [first] = names;
  const type = first === undefined ? null : typeOfValue(flag.variants[first]);
  for (const name of names) {
    const own = typeOfValue(flag.variants[name]);
    if (type && own !== type)
      ctx.addIssue({
        code: 'custom',
        path: ['variants', name],
        message: `every variant has one type: "${first}" is ${FLAG_TYPE_LABELS[type]}`,
      });
  }
  if (typeof flag.defaultVariant === 'string' && !(flag.defaultVariant in flag.variants))
    ctx.addIssue({
      code: 'custom',
      path: ['defaultVariant'],
      message: `unknown variant "${flag.defaultVariant}": choose one of ${names.join(', ')}`,
    });
}

const flagdFlagSchema = flagdFlagFields.superRefine(checkFlagdFlag);
export type FlagdFlag = z.infer<typeof flagdFlagSchema>;

/** The array form flagd itself reads (not its providers): each flag names its own key. */
const flagdFlagListSchema = z.array(
  flagdFlagFields.extend({ key: flagdKeySchema }).superRefine(checkFlagdFlag),
);

export const flagdDocumentSchema = z.object({
  $schema: z.string().optional(),
  /** Flag-set metadata: every flag's evaluation carries it, under the flag's own. */
  metadata: flagdMetadataSchema.optional(),
  flags: z.record(flagdKeySchema, flagdFlagSchema),
  $evaluators: z.record(flagdKeySchema, jsonLogicSchema).optional(),
});
export type FlagdDocument = z.infer<typeof flagdDocumentSchema>;

const flagdListDocumentSchema = flagdDocumentSchema.extend({ flags: flagdFlagListSchema });

type FlagdParse = { ok: true; document: FlagdDocument } | { ok: false; issues: FieldIssue[] };

/**
 * Reads a flagd document in either form flagd accepts (flags by key, or a list of flags with a
 * `key`), into the by-key form. Issues name the place in the document.
 */
export function parseFlagdDocument(input: unknown): FlagdParse {
  const listed =
    typeof input === 'object' &&
    input !== null &&
    Array.isArray((input as { flags?: unknown }).flags);
  if (!listed) {
    const parsed = flagdDocumentSchema.safeParse(input);
    return parsed.success
      ? { ok: true, document: parsed.data }
      : { ok: false, issues: fieldIssues(parsed.error) };
  }
  const parsed = flagdListDocumentSchema.safeParse(input);
  if (!parsed.success) return { ok: false, issues: fieldIssues(parsed.error) };
  const { flags, ...rest } = parsed.data;
  const byKey: Record<string, FlagdFlag> = {};
  const issues: FieldIssue[] = [];
  flags.forEach(({ key, ...flag }, index) => {
    if (key in byKey)
      issues.push({ path: `flags.${index}.key`, message: `"${key}" is already defined` });
    byKey[key] = flag;
  });
  return issues.length > 0
    ? { ok: false, issues }
    : { ok: true, document: { ...rest, flags: byKey } };
}
