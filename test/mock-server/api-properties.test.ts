import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DEMO_USERS } from '../../mock-server/identity';
import { declaredRoutes } from '../../mock-server/route-schemas';
import {
  awkward,
  careless,
  fitting,
  IDENTITY_FIELDS,
  placesIn,
  replaced,
  type JsonSchema,
} from './api-property-arbitraries';
import {
  asAdmin,
  candidates,
  ctx,
  events,
  idOf,
  isRecord,
  itemsOf,
  knownIds,
  read,
  routeName,
  routes,
  server,
  snapshot,
  tables,
  type Json,
  type Route,
} from './api-property-server';

/**
 * Generated requests against every mutating route the server's OpenAPI document lists: none
 * answers 5xx; one that is refused (4xx) changes nothing — no row in any table, no event; one
 * that succeeds answers what the route declares, and the server reads on afterwards.
 *
 * A request is one of three kinds. Valid: the body drawn from the route's request schema, or
 * made from a record the store holds (rules between fields that JSON Schema cannot say are
 * kept that way), with ids of existing records in the path, the record's current version, and
 * a credential that may do it. Mutated: a valid one with one place replaced or removed.
 * Careless: anything near the schema, from anyone. The routes share one server, so a request
 * that succeeded leaves the state the next ones meet.
 */

afterAll(() => server.app.close());

interface Plan {
  kind: 'valid' | 'mutated' | 'careless';
  user: string | null;
  picks: number[];
  strangePath: string | null;
  fitted: unknown;
  fromRecord: boolean;
  mutation: { place: number; value: unknown; remove: boolean };
  carelessBody: unknown;
  query: (string | null)[];
}

/** The body of routes that describe their own format (OFREP) rather than declare a schema. */
const OWN_FORMAT_BODY = { context: { targetingKey: 'user-42', country: 'NL' } };

function planFor(route: Route): fc.Arbitrary<Plan> {
  const parameters = route.operation.parameters ?? [];
  const schema = route.operation.requestBody?.content['application/json']?.schema;
  const users = [...DEMO_USERS.map((u) => u.name), null];
  return fc.record({
    kind: fc.constantFrom<Plan['kind']>(
      'valid',
      'valid',
      'valid',
      'valid',
      'mutated',
      'mutated',
      'careless',
    ),
    user: fc.oneof({ arbitrary: fc.constant('ada-admin'), weight: 5 }, fc.constantFrom(...users)),
    picks: fc.array(fc.nat(), { minLength: 4, maxLength: 4 }),
    strangePath: fc.option(fc.string({ minLength: 1, maxLength: 80 }), { freq: 2 }),
    fitted: schema ? fitting(schema, ctx) : fc.constant<unknown>(OWN_FORMAT_BODY),
    fromRecord: fc.boolean(),
    mutation: fc.record({
      place: fc.nat(),
      value: fc.oneof(awkward, fc.jsonValue({ maxDepth: 2 })),
      remove: fc.boolean(),
    }),
    carelessBody: schema
      ? fc.oneof(
          { arbitrary: careless(schema, ctx, knownIds()), weight: 8 },
          { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 1 },
        )
      : fc.constantFrom<unknown>(undefined, {}, 'x'),
    query: fc.tuple(
      ...parameters
        .filter((p) => p.in === 'query')
        .map(() => fc.option(fc.oneof(fc.integer({ min: -1, max: 6 }).map(String), fc.string()))),
    ),
  });
}

let serial = 0;
/**
 * Headers that let the request through the door it is for: an OFREP key, an agent token (and the
 * agent it connected, for routes on one agent), or a session of the plan's user.
 */
async function credentialFor(
  route: Route,
  plan: Plan,
): Promise<{ headers: Record<string, string>; agentId?: string }> {
  const proper = plan.kind !== 'careless';
  if (proper && route.path.startsWith('/ofrep/')) {
    const rotated = await asAdmin('POST', '/api/v1/ofrep-keys/production/rotate');
    return { headers: { 'x-api-key': (rotated.json() as { key: string }).key } };
  }
  if (proper && route.path.startsWith('/api/v1/agents/')) {
    const made = (
      await asAdmin('POST', '/api/v1/agent-tokens', { name: `agent-${++serial}` })
    ).json() as {
      token: string;
    };
    const headers = { authorization: `Bearer ${made.token}` };
    if (!route.path.includes('{')) return { headers };
    const connected = await server.app.inject({
      method: 'POST',
      url: '/api/v1/agents/connect',
      headers,
      payload: {
        host: `host-${serial}`,
        version: '1.0.0',
        targets: [
          {
            name: `target-${serial}`,
            service: 'shop',
            environment: 'development',
            labels: {},
            pid: 4242,
            http: false,
          },
        ],
      },
    });
    return { headers, agentId: (connected.json() as { agentId: string }).agentId };
  }
  // A fresh session each time: a generated sign-out must not end the next request's.
  const session = plan.user ? server.context.identity.createSession(plan.user) : null;
  return { headers: session ? { authorization: `Bearer ${session.token}` } : {} };
}

/** The properties a body schema names, over all its alternatives. */
function propertiesOf(schema: JsonSchema | undefined): Map<string, JsonSchema> {
  const resolved = schema ? ctx.resolve(schema) : {};
  const all = [resolved, ...(resolved.oneOf ?? []), ...(resolved.anyOf ?? [])].map(ctx.resolve);
  return new Map(all.flatMap((s) => Object.entries(s.properties ?? {})));
}

interface Prepared {
  url: string;
  body: unknown;
  headers: Record<string, string>;
  /** Where the record the request acts on (or the list it adds to) is read. */
  readBack: string;
}

async function prepare(route: Route, plan: Plan): Promise<Prepared> {
  const credential = await credentialFor(route, plan);
  const schema = route.operation.requestBody?.content['application/json']?.schema;
  let url = '';
  let record: Json | undefined;
  let readBack = route.path.replace(/\/\{.*$/, '');
  let pick = 0;
  for (const segment of route.path.split('/').slice(1)) {
    const name = /^\{(.+)\}$/.exec(segment)?.[1];
    if (name === undefined) {
      url += `/${segment}`;
      continue;
    }
    let value: string;
    if (plan.kind === 'careless' && plan.strangePath !== null) value = plan.strangePath;
    else if (credential.agentId && pick === 0) value = credential.agentId;
    else {
      const options = await candidates(url, name, record);
      const chosen = options[(plan.picks[pick] ?? 0) % options.length] ?? {};
      value = String(idOf(chosen, name) ?? '');
      // The list's copy, where the record has no GET of its own (webhooks).
      if ('version' in chosen) record = chosen;
    }
    pick++;
    url += `/${encodeURIComponent(value)}`;
    const found = await read(url);
    if (isRecord(found)) [record, readBack] = [found, url];
  }
  if (route.method === 'PUT' && !record) {
    const found = await read(url);
    if (isRecord(found)) [record, readBack] = [found, url];
  }
  const version = typeof record?.version === 'number' ? record.version : undefined;

  let body: unknown;
  if (plan.kind === 'careless') body = plan.carelessBody;
  else if (!schema) body = route.path.startsWith('/ofrep/') ? plan.fitted : undefined;
  else {
    body = plan.fitted;
    const properties = propertiesOf(schema);
    // A record the store holds, as a request: the one acted on, or (a create) one of its kind.
    const items = record ? [] : itemsOf(await read(url));
    const source = record ?? items[(plan.picks[3] ?? 0) % Math.max(items.length, 1)];
    if (isRecord(body)) {
      const fitted = body;
      if (plan.fromRecord && source) {
        // The record's own fields (the schema drops the ones it does not name), and the drawn
        // values of what the record lacks.
        const spec = isRecord(source.spec) ? source.spec : source;
        const varied = [...properties.keys()][(plan.picks[2] ?? 0) % properties.size] ?? '';
        const required = new Set(ctx.resolve(schema).required ?? []);
        const pick = (keys: string[], from: Json) =>
          Object.fromEntries(keys.filter((k) => k in from).map((k) => [k, from[k]]));
        body = {
          ...pick([...required], fitted),
          ...pick([...properties.keys()], spec),
          ...(properties.has('spec') ? { spec } : {}),
          // A new record: its own key and name, or it clashes with the one it was made from; and
          // one field drawn afresh (another environment, say), or it is the same thing again.
          ...(record ? {} : pick([...IDENTITY_FIELDS, varied], fitted)),
        };
      }
      // An import takes what the export of the same environment gives: a document that round-trips.
      const environment = isRecord(body) ? body.environment : undefined;
      if (route.path.endsWith('/import') && plan.fromRecord && typeof environment === 'string')
        body = {
          ...(body as Json),
          document: await read(`${url.replace(/import$/, 'export')}?environment=${environment}`),
        };
      if (version !== undefined && properties.has('version')) body = { ...(body as Json), version };
    }
    if (plan.kind === 'mutated') {
      const places = placesIn(body);
      const place = places[plan.mutation.place % Math.max(places.length, 1)];
      body = place
        ? replaced(body, place, plan.mutation.remove ? undefined : plan.mutation.value)
        : plan.mutation.value;
    }
  }

  const search = (route.operation.parameters ?? [])
    .filter((p) => p.in === 'query')
    .flatMap((p, j) => {
      const value =
        plan.kind !== 'careless' && p.name === 'version' && version !== undefined
          ? String(version)
          : plan.query[j];
      return value == null ? [] : [`${p.name}=${encodeURIComponent(value)}`];
    });
  if (search.length) url += `?${search.join('&')}`;
  const headers = { ...credential.headers };
  if (body !== undefined) headers['content-type'] = 'application/json';
  return { url, body, headers, readBack };
}

/**
 * The schema a route declares for a status, as route-contract.test.ts reads it: null when it
 * declares none for that status, undefined when it declares no answers at all.
 */
function declaredAnswer(route: Route, status: number): z.ZodType | null | undefined {
  const url = route.path.replace(/\{([^}]+)\}/g, ':$1');
  const declared = declaredRoutes(server.app).find(
    (r) => r.method === route.method && r.url === url,
  );
  const responses = declared?.schema?.response as Record<string, unknown> | undefined;
  if (!responses) return undefined;
  const answer = responses[String(status)];
  if (answer instanceof z.ZodType) return answer;
  if (isRecord(answer) && isRecord(answer.content)) {
    const first = Object.values(answer.content)[0];
    if (isRecord(first) && first.schema instanceof z.ZodType) return first.schema;
  }
  return null;
}

/** Answers per route: [succeeded (2xx), refused (4xx)]. */
const tally = new Map<string, [number, number]>();
const reasons = new Map<string, string>();

describe('every mutating route, on generated requests', () => {
  it('takes its routes from the OpenAPI document', () => {
    expect(routes.length).toBeGreaterThan(30);
    expect(routes.map(routeName)).toContain('POST /api/v1/halt-all');
  });

  it.each(routes.map((route) => [routeName(route), route] as const))(
    '%s never answers 5xx, refused changes nothing, accepted answers as declared',
    async (name, route) => {
      const counts: [number, number] = [0, 0];
      tally.set(name, counts);
      await fc.assert(
        fc.asyncProperty(planFor(route), async (plan) => {
          const { url, body, headers, readBack } = await prepare(route, plan);
          const before = snapshot();
          const eventsBefore = events.length;
          const response = await server.app.inject({
            method: route.method,
            url,
            headers,
            ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
          });
          const said = `${url} ${JSON.stringify(body)?.slice(0, 300)} → ${response.body.slice(0, 500)}`;
          expect(response.statusCode, said).toBeLessThan(500);
          if (response.statusCode >= 400) {
            counts[1]++;
            if (plan.kind === 'valid')
              reasons.set(name, `${response.statusCode} ${response.body.slice(0, 160)}`);
            const after = snapshot();
            const changed = tables
              .map((t) => t.name)
              .filter((t) => !isDeepStrictEqual(after[t], before[t]));
            expect(changed, said).toEqual([]);
            expect(events.slice(eventsBefore)).toEqual([]);
            return;
          }
          counts[0]++;
          const declared = declaredAnswer(route, response.statusCode);
          // A route that declares no answers at all is left to its own tests.
          if (declared !== undefined) {
            expect(
              declared,
              `${name} declares no answer for ${response.statusCode}`,
            ).not.toBeNull();
            const answer = response.statusCode === 204 ? undefined : (response.json() as unknown);
            const parsed = declared?.safeParse(answer);
            expect(parsed?.success, `${said}\n${parsed?.error?.message ?? ''}`).toBe(true);
          }
          // What the success set off (webhook queueing runs on setImmediate) settles first.
          await new Promise((resolve) => setImmediate(resolve));
          expect((await server.call('GET', '/healthz', { as: null })).statusCode).toBe(200);
          expect(
            (await server.call('GET', '/api/v1/status', { as: null })).statusCode,
          ).toBeLessThan(500);
          expect((await asAdmin('GET', readBack)).statusCode, readBack).toBeLessThan(500);
        }),
        { numRuns: 10, endOnFailure: true },
      );
    },
  );

  // Without it the property above would hold of a generator whose every request is refused.
  it('reaches the success path of most routes', () => {
    const lines = [...tally].map(
      ([name, [ok, refused]]) => `${name}: ${ok} ok, ${refused} refused`,
    );
    const succeeded = [...tally.values()].filter(([ok]) => ok > 0).length;
    const requests = [...tally.values()].reduce((sum, [ok, refused]) => sum + ok + refused, 0);
    const accepted = [...tally.values()].reduce((sum, [ok]) => sum + ok, 0);
    if (process.env.DEBUG?.includes('api-properties'))
      console.info([...lines, ...[...reasons].map(([n, r]) => `${n}: ${r}`)].join('\n'));
    // Eight routes (the audit log's) can only refuse, and some act on records in one state only.
    expect(succeeded / routes.length, lines.join('\n')).toBeGreaterThanOrEqual(0.6);
    expect(accepted / requests, lines.join('\n')).toBeGreaterThanOrEqual(0.25);
  });
});
