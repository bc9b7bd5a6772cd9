import { z } from 'zod';

/** A JSON value, as a flag's object variants and evaluation contexts carry them. */
export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export const jsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number().finite(),
    z.boolean(),
    z.null(),
    z.array(jsonValueSchema),
    z.record(z.string(), jsonValueSchema),
  ]),
);

export const jsonObjectSchema: z.ZodType<JsonObject> = z.record(z.string(), jsonValueSchema);

/** What a variant may hold: every variant of one flag has the same type. */
export type FlagValue = boolean | string | number | JsonObject;

export const flagValueSchema: z.ZodType<FlagValue> = z.union(
  [
    z.boolean(),
    z.string(),
    z.number().finite('a number variant must be a finite number'),
    jsonObjectSchema,
  ],
  { error: 'a variant is a boolean, a string, a number or a JSON object' },
);

export const FLAG_TYPES = ['boolean', 'string', 'number', 'object'] as const;
export type FlagType = (typeof FLAG_TYPES)[number];

export const FLAG_TYPE_LABELS: Record<FlagType, string> = {
  boolean: 'boolean',
  string: 'string',
  number: 'number',
  object: 'JSON',
};

/** The type of a value, or null for something no variant can hold (an array, null). */
export function typeOfValue(value: unknown): FlagType | null {
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return Number.isFinite(value) ? 'number' : null;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return 'object';
  return null;
}

/** A value as a person reads it in a list or a preview: `true`, `"blue"`, `3`, `{"a":1}`. */
export function formatValue(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
}
