import type { StreamEvent } from '../../src/domain';
import { DEMO_USERS } from '../../mock-server/identity';
import type { JsonSchema, SchemaContext } from './api-property-arbitraries';
import { abortingSpec } from './gamedays-test-app';
import { testServer } from './test-server';

/**
 * The server api-properties.test.ts sends its generated requests to, with what it reads there:
 * the mutating routes of its OpenAPI document, a fingerprint of every table, the events
 * published, and the records that stand for path parameters.
 */

type Parameter = { in: 'path' | 'query' | 'header'; name: string; schema?: JsonSchema };
type Operation = {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
};
export interface Route {
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  operation: Operation;
}
export type Json = Record<string, unknown>;

// Generous limits: the rate limits are not what this test is about. Webhooks are "sent" to a
// receiver that never answers, within a timeout no test reaches: a delivery writes nothing later.
export const server = await testServer({
  sampleData: true,
  config: {
    rateLimits: {
      sessions: { max: 100_000, windowMs: 60_000 },
      authFailures: { max: 100_000, windowMs: 60_000 },
      ofrepKeyFailures: { max: 100_000, windowMs: 60_000 },
    },
  },
  notifications: {
    policy: { timeoutMs: 2_000_000_000 },
    fetch: (_url, init) =>
      new Promise((_resolve, reject) =>
        init?.signal?.addEventListener('abort', () => reject(new Error('closed'))),
      ),
  },
});

export const asAdmin = (method: string, url: string, body?: unknown) =>
  server.call(method, url, { as: 'ada-admin', ...(body === undefined ? {} : { body }) });

// What the sample data lacks, so that routes on it have something to act on: an incident (from
// an experiment that aborts), a game day, a webhook.
const aborting = (await asAdmin('POST', '/api/v1/experiments', abortingSpec())).json() as Json;
await asAdmin('POST', `/api/v1/experiments/${String(aborting.id)}/start`, {
  version: aborting.version,
});
server.advance(10);
const now = server.clock.now();
await asAdmin('POST', '/api/v1/gamedays', {
  title: 'Checkout game day',
  startsAt: now,
  endsAt: now + 3_600_000,
  runbook: [{ text: 'Warn support' }, { text: 'Start the CPU experiment' }],
});
await asAdmin('POST', '/api/v1/webhooks', {
  name: 'On-call channel',
  url: 'http://127.0.0.1:9/hook',
  events: ['halt-all'],
});

const openapi = (await server.call('GET', '/api/v1/openapi.json', { as: null })).json() as {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, JsonSchema> };
};
const MUTATING = ['post', 'put', 'patch', 'delete'];
export const routes: Route[] = Object.entries(openapi.paths).flatMap(([path, operations]) =>
  Object.entries(operations)
    .filter(([method]) => MUTATING.includes(method))
    .map(([method, operation]) => ({
      method: method.toUpperCase() as Route['method'],
      path,
      operation,
    })),
);
// Deletions last, so that the routes acting on records still find some.
routes.sort((a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'));
export const routeName = (route: Route) => `${route.method} ${route.path}`;

/**
 * Rows a refused request may write: the audit trail of a refused agent (a wrong or missing
 * agent token), kept on purpose as a security record.
 */
const EXPECTED_ON_REFUSAL: Record<string, string> = {
  audit: "WHERE action <> 'agent.refused'",
  // The audit table's id counter, which those rows move on.
  sqlite_sequence: "WHERE name <> 'audit'",
};

/**
 * Columns a refused request may write: when an agent token was last presented. The agent routes
 * check the token before the body (a stranger learns nothing from a 400), and a valid token
 * that came with a bad body was still used.
 */
const COLUMNS_MOVED_ON_REFUSAL: Record<string, string[]> = { agent_tokens: ['last_used_at'] };

/** Every table's rows, as one fingerprint per table (SHA-256 in SQL, so a snapshot is cheap). */
const db = server.context.db;
export const tables = (
  db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
    name: string;
  }[]
).map(({ name }) => {
  const columns = (db.prepare(`PRAGMA table_info("${name}")`).all() as { name: string }[])
    .filter((column) => !COLUMNS_MOVED_ON_REFUSAL[name]?.includes(column.name))
    .map((column) => `quote("${column.name}")`)
    .join(" || ',' || ");
  return {
    name,
    fingerprint: db.prepare(
      `SELECT count(*) AS rows, secret_hash(group_concat(${columns}, '|')) AS hash ` +
        `FROM (SELECT * FROM "${name}" ${EXPECTED_ON_REFUSAL[name] ?? ''} ORDER BY rowid)`,
    ),
  };
});
export const snapshot = (): Record<string, unknown> =>
  Object.fromEntries(tables.map(({ name, fingerprint }) => [name, fingerprint.get()]));

export const events: StreamEvent[] = [];
server.context.bus.subscribe((record) => events.push(record.event));

/** Ids and keys the store holds now, from every table: what careless paths are drawn from. */
export function knownIds(): string[] {
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

/** A GET as an admin: the JSON body when it answers 200, else undefined. */
export async function read(url: string): Promise<unknown> {
  const response = await asAdmin('GET', url);
  return response.statusCode === 200 && String(response.headers['content-type']).includes('json')
    ? (response.json() as unknown)
    : undefined;
}
export const isRecord = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The records a list answer holds: the answer itself if an array, else its longest array. */
export function itemsOf(list: unknown): Json[] {
  const arrays = Array.isArray(list) ? [list] : isRecord(list) ? Object.values(list) : [];
  return arrays
    .filter((v): v is unknown[] => Array.isArray(v))
    .map((array) => array.filter(isRecord))
    .reduce<Json[]>((longest, items) => (items.length > longest.length ? items : longest), []);
}

/** Strings in a JSON value, by the field that holds them (strings in arrays: the array's field). */
function harvest(value: unknown, into: Map<string, Set<string>>, field = ''): void {
  if (typeof value === 'string' && field && value.length <= 200)
    into.set(field, (into.get(field) ?? new Set()).add(value));
  else if (Array.isArray(value)) for (const v of value) harvest(v, into, field);
  else if (isRecord(value)) for (const [k, v] of Object.entries(value)) harvest(v, into, k);
}

/** The lists the mutating routes sit under ("/api/v1/flags" for "/api/v1/flags/{key}/kill"). */
const LISTS = [
  '/api/v1/fleet',
  ...new Set(routes.map((r) => r.path.replace(/\/\{.*$/, '')).filter((p) => !p.includes('{'))),
];
const vocabularySets = new Map<string, Set<string>>([
  ['user', new Set(DEMO_USERS.map((u) => u.name))],
]);
for (const list of LISTS) harvest(await read(list), vocabularySets);
export const ctx: SchemaContext = {
  resolve: (schema) =>
    schema.$ref
      ? (openapi.components?.schemas?.[schema.$ref.split('/').pop() ?? ''] ?? {})
      : schema,
  vocabulary: new Map([...vocabularySets].map(([k, v]) => [k, [...v]])),
};

export const idOf = (item: Json, name: string) => item[name] ?? item.id ?? item.key;

/**
 * Records that can stand for `{name}`: those of the list it sits under (or the API's list of the
 * same name, for OFREP's flags), else ids in the record above it, else any id the store holds.
 */
export async function candidates(prefix: string, name: string, parent: unknown): Promise<Json[]> {
  const list = (await read(prefix)) ?? (await read(`/api/v1/${prefix.split('/').pop() ?? ''}`));
  const fromList = itemsOf(list).filter((item) => typeof idOf(item, name) === 'string');
  if (fromList.length) return fromList;
  const within = new Map<string, Set<string>>();
  harvest(parent, within);
  const nested = [...(within.get(name) ?? []), ...(within.get('id') ?? [])].filter(
    (id) => !isRecord(parent) || id !== parent.id,
  );
  const ids = nested.length ? nested : [...(ctx.vocabulary.get(name) ?? []), ...knownIds()];
  return ids.map((id) => ({ [name]: id }));
}
