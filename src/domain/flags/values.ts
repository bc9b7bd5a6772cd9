import { boundedJsonSchema, JSON_VALUE_LIMITS, type JsonObject } from '../bounded-json';

export {
  jsonObjectSchema,
  jsonValueSchema,
  type JsonObject,
  type JsonValue,
} from '../bounded-json';

/** What a variant may hold: every variant of one flag has the same type. */
export type FlagValue = boolean | string | number | JsonObject;

/** A variant or a fallback value, within the limits of every stored JSON value (`JSON_VALUE_LIMITS`). */
export const flagValueSchema = boundedJsonSchema<FlagValue>(JSON_VALUE_LIMITS, {
  test: (value) => typeOfValue(value) !== null,
  message: 'a variant is a boolean, a string, a number or a JSON object',
});

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
