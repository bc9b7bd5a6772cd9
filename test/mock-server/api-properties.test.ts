import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../src/domain';
import { DEMO_USERS } from '../../mock-server/identity';
import { testServer } from './test-server';

/**
 * Generated requests against every mutating route the server's OpenAPI document lists: none
 * answers 5xx, and one that is refused (4xx) changes nothing — no row in any table, no event.
 * The routes share one server, so a request that succeeded leaves the state the next ones meet.
 */

type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  maxItems?: number;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
};
type Parameter = { in: 'path' | 'query' | 'header'; name: string; schema?: JsonSchema };
type Operation = {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
};
interface Route {
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  operation: Operation;
}

// Generous limits: the rate limits are not what this test is about.
const server = await testServer({
  sampleData: true,
  config: {
    rateLimits: {
      sessions: { max: 100_000, windowMs: 60_000 },
      authFailures: { max: 100_000, windowMs: 60_000 },
      ofrepKeyFailures: { max: 100_000, windowMs: 60_000 },
    },
  },
});
afterAll(() => server.app.close());

const openapi = (await server.call('GET', '/api/v1/openapi.json', { as: null })).json() as {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, JsonSchema> };
};
const MUTATING = ['post', 'put', 'patch', 'delete'];
const routes: Route[] = Object.entries(openapi.paths).flatMap(([path, operations]) =>
  Object.entries(operations)
    .filter(([method]) => MUTATING.includes(method))
    .map(([method, operation]) => ({
      method: method.toUpperCase() as Route['method'],
      path,
      operation,
    })),
);

/**
 * Rows a refused request may write: the audit trail of a refused agent (a wrong or missing
 * agent token), kept on purpose as a security record.
 */
const EXPECTED_ON_REFUSAL: Record<string, string> = {
  audit: "WHERE action <> 'agent.refused'",
  // The audit table's id counter, which those rows move on.
  sqlite_sequence: "WHERE name <> 'audit'",
};

/** Every table's rows, as one fingerprint per table (SHA-256 in SQL, so a snapshot is cheap). */
const db = server.context.db;
const tables = (
  db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
    name: string;
  }[]
).map(({ name }) => {
  const columns = (db.prepare(`PRAGMA table_info("${name}")`).all() as { name: string }[])
    .map((column) => `quote("${column.name}")`)
    .join(" || ',' || ");
  return {
    name,
    fingerprint: db.prepare(
      `SELECT count(*) AS rows, secret_hash(group_concat(${columns}, '|')) AS hash FROM (SELECT * FROM "${name}" ${EXPECTED_ON_REFUSAL[name] ?? ''} ORDER BY rowid)`,
    ),
  };
});
const snapshot = (): Record<string, unknown> =>
  Object.fromEntries(tables.map(({ name, fingerprint }) => [name, fingerprint.get()]));

const events: StreamEvent[] = [];
server.context.bus.subscribe((record) => events.push(record.event));

/** Ids and keys the store holds now: path parameters and id-like fields are drawn from them. */
function knownIds(): string[] {
  const ids = new Set<string>(['development', 'staging', 'production', 'new-checkout']);
  for (const { name } of tables) {
    const columns = (db.prepare(`PRAGMA table_info("${name}")`).all() as { name: string }[])
      .map((c) => c.name)
      .filter((c) => c === 'id' || c === 'key');
    for (const column of columns)
      for (const row of db.prepare(`SELECT "${column}" AS v FROM "${name}" LIMIT 50`).all() as {
        v: unknown;
      }[])
        if (typeof row.v === 'string') ids.add(row.v);
  }
  return [...ids];
}

/** Values that break careless code: empty, huge, deep, negative, the wrong type, prototype keys. */
const awkward = fc.constantFrom<unknown>(
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

function resolve(schema: JsonSchema): JsonSchema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.split('/').pop() ?? '';
  return openapi.components?.schemas?.[name] ?? {};
}

/** Mostly what the schema asks for, sometimes not, so both the handler and the checks are reached. */
function valueFor(input: JsonSchema, ids: string[], depth: number): fc.Arbitrary<unknown> {
  const schema = resolve(input);
  if (depth > 6) return awkward;
  const alternatives = schema.anyOf ?? schema.oneOf;
  let fitting: fc.Arbitrary<unknown>;
  if (schema.const !== undefined) fitting = fc.constant(schema.const);
  else if (schema.enum) fitting = fc.constantFrom(...schema.enum);
  else if (alternatives?.length)
    fitting = fc.oneof(...alternatives.map((s) => valueFor(s, ids, depth + 1)));
  else if (schema.allOf?.length) fitting = valueFor(schema.allOf[0] ?? {}, ids, depth + 1);
  else {
    const type = Array.isArray(schema.type) ? (schema.type[0] ?? '') : (schema.type ?? '');
    switch (type) {
      case 'object': {
        const properties = Object.entries(schema.properties ?? {});
        const required = new Set(schema.required ?? []);
        fitting = fc
          .tuple(
            ...properties.map(([name, property]) =>
              fc.option(valueFor(property, ids, depth + 1), {
                nil: undefined,
                freq: required.has(name) ? 20 : 3,
              }),
            ),
          )
          .map((values) =>
            Object.fromEntries(
              properties
                .map(([name], i) => [name, values[i]] as const)
                .filter(([, value]) => value !== undefined),
            ),
          );
        break;
      }
      case 'array':
        fitting = fc.array(valueFor(schema.items ?? {}, ids, depth + 1), {
          maxLength: Math.min(schema.maxItems ?? 4, 4),
        });
        break;
      case 'string':
        fitting = fc.oneof(
          fc.constantFrom(...ids),
          fc.string({ maxLength: Math.min(schema.maxLength ?? 40, 40) }),
        );
        break;
      case 'integer':
        fitting = fc.integer({
          min: Math.max(schema.minimum ?? -5, -1_000_000),
          max: Math.min(schema.maximum ?? 100, 1_000_000),
        });
        break;
      case 'number':
        fitting = fc.double({ min: -1_000, max: 1_000, noNaN: true });
        break;
      case 'boolean':
        fitting = fc.boolean();
        break;
      case 'null':
        fitting = fc.constant(null);
        break;
      default:
        fitting = fc.jsonValue({ maxDepth: 2 });
    }
  }
  return fc.oneof({ arbitrary: fitting, weight: 8 }, { arbitrary: awkward, weight: 1 });
}

function requestFor(route: Route, ids: string[]) {
  const parameters = route.operation.parameters ?? [];
  const pathValue = fc.oneof(
    { arbitrary: fc.constantFrom(...ids), weight: 4 },
    { arbitrary: fc.string({ minLength: 1, maxLength: 80 }), weight: 1 },
  );
  const schema = route.operation.requestBody?.content['application/json']?.schema;
  return fc.record({
    user: fc.constantFrom<string | null>(...DEMO_USERS.map((u) => u.name), 'ada-admin', null),
    path: fc.tuple(...parameters.filter((p) => p.in === 'path').map(() => pathValue)),
    query: fc.tuple(
      ...parameters
        .filter((p) => p.in === 'query')
        .map(() => fc.option(fc.oneof(fc.integer({ min: -1, max: 6 }).map(String), pathValue))),
    ),
    // For a PUT: the record as stored now (read at the same path), with one field replaced.
    edit: fc.option(
      fc.record({
        field: fc.nat(),
        value: fc.oneof(awkward, fc.jsonValue({ maxDepth: 2 })),
        keep: fc.boolean(),
      }),
      { freq: 2 },
    ),
    body: schema
      ? fc.oneof(
          { arbitrary: valueFor(schema, ids, 0), weight: 8 },
          { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 1 },
        )
      : fc.constantFrom<unknown>(undefined, {}, 'x'),
  });
}

function urlFor(route: Route, path: string[], query: (string | null)[]): string {
  const parameters = route.operation.parameters ?? [];
  let i = 0;
  const url = route.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(path[i++] ?? ''));
  const search = parameters
    .filter((p) => p.in === 'query')
    .flatMap((p, j) =>
      query[j] == null ? [] : [`${p.name}=${encodeURIComponent(query[j] as string)}`],
    );
  return search.length ? `${url}?${search.join('&')}` : url;
}

/** The record stored at `url` (as an admin reads it), one field replaced or left as it is. */
async function edited(
  url: string,
  edit: { field: number; value: unknown; keep: boolean },
): Promise<unknown> {
  const current = await server.call('GET', url, { as: 'ada-admin' });
  if (current.statusCode !== 200) return undefined;
  const record = current.json() as unknown;
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return undefined;
  const fields = Object.keys(record);
  const field = fields[edit.field % Math.max(fields.length, 1)];
  return edit.keep || field === undefined ? record : { ...record, [field]: edit.value };
}

describe('every mutating route, on generated requests', () => {
  it('takes its routes from the OpenAPI document', () => {
    expect(routes.length).toBeGreaterThan(30);
    expect(routes.map((r) => `${r.method} ${r.path}`)).toContain('POST /api/v1/halt-all');
  });

  it.each(routes.map((route) => [`${route.method} ${route.path}`, route] as const))(
    '%s never answers 5xx, and a refused request changes nothing',
    async (_name, route) => {
      await fc.assert(
        fc.asyncProperty(
          requestFor(route, knownIds()),
          async ({ user, path, query, edit, ...rest }) => {
            const url = urlFor(route, path, query);
            const body =
              edit && route.method === 'PUT' ? ((await edited(url, edit)) ?? rest.body) : rest.body;
            const headers: Record<string, string> = {};
            // A fresh session each time: a generated sign-out must not end the next request's.
            if (user)
              headers.authorization = `Bearer ${server.context.identity.createSession(user)?.token}`;
            if (body !== undefined) headers['content-type'] = 'application/json';
            const before = snapshot();
            const eventsBefore = events.length;
            const response = await server.app.inject({
              method: route.method,
              url,
              headers,
              ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
            });
            expect(response.statusCode, response.body.slice(0, 500)).toBeLessThan(500);
            if (response.statusCode >= 400) {
              expect(snapshot(), response.body.slice(0, 500)).toEqual(before);
              expect(events.slice(eventsBefore)).toEqual([]);
            }
          },
        ),
        { numRuns: 10, endOnFailure: true },
      );
    },
  );
});
