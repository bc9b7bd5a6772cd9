import { z } from 'zod';

/** A JSON value, as flags' object variants, evaluation contexts and imported documents carry them. */
export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/**
 * How big a stored JSON value may be. Depth counts containers: `{"a":[1]}` is 2 deep, a scalar 0.
 * Size is the length of its JSON text in characters (escapes not counted).
 */
interface JsonLimits {
  maxDepth: number;
  maxStringLength: number;
  /** Longest object key, in characters. */
  maxKeyLength: number;
  maxSize: number;
}

/** A value a person stores in a record: a flag's variant or fallback value, an evaluation context. */
export const JSON_VALUE_LIMITS: JsonLimits = {
  maxDepth: 32,
  maxStringLength: 10_000,
  maxKeyLength: 256,
  maxSize: 64 * 1024,
};

/** A whole document sent in one request (a flagd flag-definition import). */
export const JSON_DOCUMENT_LIMITS: JsonLimits = {
  maxDepth: 64,
  maxStringLength: 10_000,
  maxKeyLength: 256,
  maxSize: 1024 * 1024,
};

interface JsonLimitIssue {
  /** Where, inside the value, the first limit is broken (empty: the value itself). */
  path: (string | number)[];
  message: string;
}

const isPlainObject = (value: object) => {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
};

/**
 * The first way `value` is not JSON within `limits`, or null. It walks the value with its own
 * stack (no recursion), and stops at the first container past `maxDepth`, so a value nested
 * thousands of levels deep is refused as quickly as a shallow one.
 */
export function checkJson(value: unknown, limits: JsonLimits): JsonLimitIssue | null {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  let size = 0;
  const tooBig = (path: (string | number)[]): JsonLimitIssue => ({
    path,
    message: `a JSON value is at most ${limits.maxSize} characters long`,
  });
  while (stack.length > 0) {
    const { value: node, path } = stack.pop() as { value: unknown; path: (string | number)[] };
    if (node === null || typeof node === 'boolean') {
      size += node === true ? 4 : 5;
    } else if (typeof node === 'number') {
      if (!Number.isFinite(node)) return { path, message: 'a number must be finite' };
      size += String(node).length;
    } else if (typeof node === 'string') {
      if (node.length > limits.maxStringLength)
        return { path, message: `a text is at most ${limits.maxStringLength} characters` };
      size += node.length + 2;
    } else if (typeof node === 'object') {
      if (path.length >= limits.maxDepth)
        return { path, message: `JSON is nested at most ${limits.maxDepth} levels deep` };
      if (Array.isArray(node)) {
        size += 2 + Math.max(0, node.length - 1);
        if (size > limits.maxSize) return tooBig(path);
        for (let index = node.length - 1; index >= 0; index--)
          stack.push({ value: node[index], path: [...path, index] });
      } else {
        if (!isPlainObject(node)) return { path, message: 'not a JSON value' };
        const keys = Object.keys(node);
        size += 2 + Math.max(0, keys.length - 1);
        for (let index = keys.length - 1; index >= 0; index--) {
          const key = keys[index] as string;
          if (key.length > limits.maxKeyLength)
            return { path, message: `a key is at most ${limits.maxKeyLength} characters` };
          size += key.length + 3;
          if (size > limits.maxSize) return tooBig(path);
          stack.push({ value: (node as Record<string, unknown>)[key], path: [...path, key] });
        }
      }
    } else {
      return { path, message: 'not a JSON value' };
    }
    if (size > limits.maxSize) return tooBig(path);
  }
  return null;
}

/**
 * The one schema for a JSON value a user may store: any JSON within `limits` (depth, size,
 * string and key length), checked without recursion; a value past a limit is an issue at the
 * place it breaks ("variants.on.a.b: JSON is nested at most 32 levels deep").
 * `accept` narrows which values are allowed at the top (a flag value is no array nor null).
 */
export function boundedJsonSchema<T extends JsonValue = JsonValue>(
  limits: JsonLimits = JSON_VALUE_LIMITS,
  accept?: { test: (value: unknown) => boolean; message: string },
): z.ZodType<T> {
  return z.custom<T>().superRefine((value, ctx) => {
    if (accept && !accept.test(value)) {
      ctx.addIssue({ code: 'custom', message: accept.message });
      return;
    }
    const issue = checkJson(value, limits);
    if (issue) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  });
}

export const jsonValueSchema = boundedJsonSchema();

export const jsonObjectSchema = boundedJsonSchema<JsonObject>(JSON_VALUE_LIMITS, {
  test: (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  message: 'expected a JSON object',
});
