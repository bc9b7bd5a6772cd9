import fc from 'fast-check';

/** The part of JSON Schema (as the server's OpenAPI document writes it) that requests use. */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
}

export interface SchemaContext {
  /** The schema a `$ref` names (the document's components). */
  resolve(schema: JsonSchema): JsonSchema;
  /** Values the store holds now, by the field that holds them ("service" → "checkout", …). */
  vocabulary: ReadonlyMap<string, readonly string[]>;
}

/** Fields that name a new record: drawn fresh, never from what exists, so a create does not clash. */
export const IDENTITY_FIELDS = new Set(['key', 'name', 'title', 'host']);

/** Values that break careless code: empty, huge, deep, negative, the wrong type, prototype keys. */
export const awkward = fc.constantFrom<unknown>(
  null,
  '',
  ' ',
  'x'.repeat(20_000),
  '\u0000',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  -1,
  0,
  1.5,
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER + 2,
  true,
  [],
  {},
  JSON.parse('{"__proto__": {"polluted": true}}'),
  JSON.parse('{"constructor": {"prototype": {"polluted": true}}}'),
  JSON.parse('['.repeat(3_000) + ']'.repeat(3_000)),
  Array.from({ length: 2_000 }, (_, i) => i),
);

const WORD = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-'.split(''));

/** A short readable string within the schema's length and pattern (fresh, so unlikely to clash). */
function plainString(schema: JsonSchema): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = Math.max(min, Math.min(schema.maxLength ?? 24, 24));
  if (schema.pattern) {
    const pattern = new RegExp(schema.pattern, 'u');
    try {
      return fc.stringMatching(pattern).filter((s) => s.length >= min && s.length <= max);
    } catch {
      // fast-check cannot draw every pattern (lookaheads): draw words and keep those that match.
      return fc
        .tuple(
          fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'.split('')),
          fc.string({ unit: WORD }),
        )
        .map(([first, rest]) => (first + rest).slice(0, max))
        .filter((s) => s.length >= min && pattern.test(s));
    }
  }
  if (schema.format === 'email') return fc.emailAddress();
  if (schema.format === 'uri' || schema.format === 'url') return fc.webUrl();
  return fc
    .tuple(
      fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('')),
      fc.string({ unit: WORD, minLength: Math.max(min - 1, 0), maxLength: max - 1 }),
    )
    .map(([first, rest]) => (first + rest).slice(0, max));
}

function numberIn(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min = Math.max(schema.minimum ?? schema.exclusiveMinimum ?? -1_000, -1_000_000);
  // Small values mostly: what a person types, and what the other fields' limits fit.
  const max = Math.min(
    schema.maximum ?? schema.exclusiveMaximum ?? 1_000,
    Math.max(min, 0) + 5_000,
  );
  const inside = (n: number) =>
    (schema.exclusiveMinimum === undefined || n > schema.exclusiveMinimum) &&
    (schema.exclusiveMaximum === undefined || n < schema.exclusiveMaximum);
  const drawn = integer
    ? fc.integer({ min: Math.ceil(min), max: Math.max(Math.ceil(min), Math.floor(max)) })
    : fc.double({ min, max: Math.max(min, max), noNaN: true, noDefaultInfinity: true });
  return drawn.filter(inside);
}

/**
 * Values the schema accepts as far as JSON Schema can say (rules between fields are the seeds'
 * job): every required property, optional ones half the time, lengths, patterns and ranges kept,
 * strings often taken from what the store holds under the same field name.
 */
export function fitting(
  input: JsonSchema,
  ctx: SchemaContext,
  field = '',
  depth = 0,
): fc.Arbitrary<unknown> {
  const schema = ctx.resolve(input);
  if (depth > 8) return fc.constant(null);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum?.length) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives?.length)
    return fc.oneof(...alternatives.map((s) => fitting(s, ctx, field, depth + 1)));
  if (schema.allOf?.length) return fitting(schema.allOf[0] ?? {}, ctx, field, depth + 1);
  const types = [schema.type ?? ''].flat();
  const type = types.find((t) => t !== 'null') ?? types[0] ?? '';
  switch (type) {
    case 'object': {
      const properties = Object.entries(schema.properties ?? {});
      const required = new Set(schema.required ?? []);
      const extra =
        typeof schema.additionalProperties === 'object' && properties.length === 0
          ? fc.dictionary(
              schema.propertyNames
                ? (fitting(schema.propertyNames, ctx, field) as fc.Arbitrary<string>)
                : plainString({}),
              fitting(schema.additionalProperties, ctx, field, depth + 1),
              { maxKeys: 3 },
            )
          : fc.constant({});
      return fc
        .tuple(
          extra,
          ...properties.map(([name, property]) =>
            required.has(name)
              ? fitting(property, ctx, name, depth + 1)
              : fc.option(fitting(property, ctx, name, depth + 1), { nil: undefined }),
          ),
        )
        .map(([base, ...values]) => ({
          ...base,
          ...Object.fromEntries(
            properties
              .map(([name], i) => [name, values[i]] as const)
              .filter(([, value]) => value !== undefined),
          ),
        }));
    }
    case 'array': {
      const minLength = schema.minItems ?? 0;
      const maxLength = Math.max(minLength, Math.min(schema.maxItems ?? 3, minLength + 3));
      const item = fitting(schema.items ?? {}, ctx, field, depth + 1);
      // A list of choices (events, metrics) names each once.
      const items = ctx.resolve(schema.items ?? {});
      return schema.uniqueItems || items.enum
        ? fc.uniqueArray(item, { minLength, maxLength, selector: (v) => JSON.stringify(v) })
        : fc.array(item, { minLength, maxLength });
    }
    case 'string': {
      const known = IDENTITY_FIELDS.has(field) ? [] : (ctx.vocabulary.get(field) ?? []);
      const fits = known.filter(
        (s) =>
          s.length >= (schema.minLength ?? 0) &&
          s.length <= (schema.maxLength ?? Infinity) &&
          (!schema.pattern || new RegExp(schema.pattern, 'u').test(s)),
      );
      return fits.length
        ? fc.oneof(
            { arbitrary: fc.constantFrom(...fits), weight: 3 },
            { arbitrary: plainString(schema), weight: 1 },
          )
        : plainString(schema);
    }
    case 'integer':
      return numberIn(schema, true);
    case 'number':
      return numberIn(schema, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/**
 * Mostly what the schema asks for, often not, at every level: the careless and hostile requests.
 * `ids` are the store's ids and keys, so some reach a record.
 */
export function careless(input: JsonSchema, ctx: SchemaContext, ids: string[], depth = 0) {
  const schema = ctx.resolve(input);
  const loose: JsonSchema = { ...schema, minLength: undefined, pattern: undefined, minItems: 0 };
  const near: fc.Arbitrary<unknown> =
    depth > 6
      ? awkward
      : schema.type === 'object' && schema.properties
        ? fc
            .tuple(
              ...Object.entries(schema.properties).map(([name, property]) =>
                fc
                  .option(careless(property, ctx, ids, depth + 1), { nil: undefined, freq: 3 })
                  .map((value) => [name, value] as const),
              ),
            )
            .map((entries) => Object.fromEntries(entries.filter(([, v]) => v !== undefined)))
        : schema.type === 'string'
          ? fc.oneof(fc.constantFrom(...ids), fc.string({ maxLength: 40 }))
          : fitting(loose, ctx, '', depth);
  return fc.oneof({ arbitrary: near, weight: 8 }, { arbitrary: awkward, weight: 1 });
}

/** Every place in a JSON value (object keys and array items, outer first), as key paths. */
export function placesIn(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object' || path.length > 6) return [];
  const entries = Array.isArray(value)
    ? value.map((v, i) => [i, v] as const)
    : Object.entries(value);
  return entries.flatMap(([key, child]) => [[...path, key], ...placesIn(child, [...path, key])]);
}

/** `value` with the place at `path` set to `replacement`, or removed when `replacement` is absent. */
export function replaced(
  value: unknown,
  path: (string | number)[],
  replacement?: unknown,
): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return replacement;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const copy: unknown[] = [...value];
    copy[Number(head)] = rest.length
      ? replaced(copy[Number(head)], rest, replacement)
      : replacement;
    return copy;
  }
  const copy: Record<string, unknown> = { ...value };
  const next = rest.length ? replaced(copy[head], rest, replacement) : replacement;
  if (next === undefined) delete copy[head];
  else copy[head] = next;
  return copy;
}
