import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { declaredRoutes } from '../../mock-server/route-schemas';
import type { Gameday, Incident, Rollout } from '../../src/domain';
import type { Flag, Segment } from '../../src/domain/flags';
import type { Webhook } from '../../src/domain/webhooks';
import { staffFlag } from './flags-fixtures';
import {
  abortingSpec,
  calmSpec,
  createExperiment,
  startExperiment,
  startTestServer,
  type TestServer,
} from './gamedays-test-app';
import { canarySpec, createRollout } from './rollouts-fixtures';

/** What a valid request needs: ids of things that exist, made through the API itself. */
interface World {
  incident: Incident;
  agentTokenId: string;
  agentToken: string;
  agentId: string;
  /** A session of its own, for the sign-out route. */
  spareToken: string;
  /** The OFREP key of production. */
  ofrepKey: string;
}

interface Call {
  url: string;
  body?: unknown;
  as?: string | null;
  headers?: Record<string, string>;
}

/** A valid request for every declared route, keyed "METHOD url-pattern". */
const CALLS: Record<string, (w: World) => Call | Promise<Call>> = {
  'GET /healthz': () => ({ url: '/healthz', as: null }),
  'GET /api/v1/auth': () => ({ url: '/api/v1/auth', as: null }),
  'POST /api/v1/session': () => ({
    url: '/api/v1/session',
    as: null,
    body: { user: 'vic-viewer' },
  }),
  'DELETE /api/v1/session': (w) => ({
    url: '/api/v1/session',
    as: null,
    headers: { authorization: `Bearer ${w.spareToken}` },
  }),
  'GET /api/v1/me': () => ({ url: '/api/v1/me' }),
  'POST /api/v1/stream-ticket': () => ({ url: '/api/v1/stream-ticket' }),
  'GET /api/v1/audit': () => ({ url: '/api/v1/audit?limit=5' }),
  'GET /api/v1/audit/export': () => ({ url: '/api/v1/audit/export?format=csv' }),
  'GET /api/v1/fleet': () => ({ url: '/api/v1/fleet' }),
  'GET /api/v1/metrics': () => ({
    url: '/api/v1/metrics?service=checkout&environment=staging',
  }),
  'GET /api/v1/flag-evaluations': () => ({
    url: '/api/v1/flag-evaluations?service=checkout&environment=staging',
  }),
  'GET /api/v1/experiments': () => ({ url: '/api/v1/experiments' }),
  'GET /api/v1/experiments/:id': async () => ({ url: `/api/v1/experiments/${(await draft()).id}` }),
  'GET /api/v1/experiments/:id/steady-state': async () => ({
    url: `/api/v1/experiments/${(await draft()).id}/steady-state`,
  }),
  'POST /api/v1/experiments': () => ({ url: '/api/v1/experiments', body: calmSpec() }),
  'PUT /api/v1/experiments/:id': async () => {
    const { id, version } = await draft();
    return {
      url: `/api/v1/experiments/${id}`,
      body: { version, spec: calmSpec({ name: 'Renamed' }) },
    };
  },
  'POST /api/v1/experiments/:id/start': async () => {
    const { id, version } = await draft();
    return { url: `/api/v1/experiments/${id}/start`, body: { version } };
  },
  'POST /api/v1/experiments/:id/halt': async () => {
    const { id, version } = await draft();
    await startExperiment(server, id, version);
    return { url: `/api/v1/experiments/${id}/halt`, body: {} };
  },
  'DELETE /api/v1/experiments/:id': async () => {
    const { id, version } = await draft();
    return { url: `/api/v1/experiments/${id}?version=${version}` };
  },
  'POST /api/v1/halt-all': () => ({ url: '/api/v1/halt-all', body: {} }),
  'GET /api/v1/flags': () => ({ url: '/api/v1/flags' }),
  'POST /api/v1/flags': () => ({
    url: '/api/v1/flags',
    as: 'dev-dana',
    body: staffFlag('contract'),
  }),
  'GET /api/v1/flags/export': () => ({ url: '/api/v1/flags/export?environment=production' }),
  'POST /api/v1/flags/import': () => ({
    url: '/api/v1/flags/import',
    as: 'dev-dana',
    body: {
      environment: 'staging',
      document: {
        flags: {
          'imported-flag': {
            state: 'ENABLED',
            variants: { on: true, off: false },
            defaultVariant: 'off',
          },
        },
      },
    },
  }),
  'GET /api/v1/flags/:key': async () => ({ url: `/api/v1/flags/${(await flag()).key}` }),
  'PUT /api/v1/flags/:key': async () => {
    const { key, version } = await flag();
    return {
      url: `/api/v1/flags/${key}`,
      as: 'dev-dana',
      body: { version, spec: staffFlag(key, { description: 'Edited' }) },
    };
  },
  'POST /api/v1/flags/:key/kill': async () => ({
    url: `/api/v1/flags/${(await flag()).key}/kill`,
    body: { environment: 'production' },
  }),
  'POST /api/v1/flags/:key/enable': async () => ({
    url: `/api/v1/flags/${(await flag()).key}/enable`,
    as: 'dev-dana',
    body: { environment: 'staging' },
  }),
  'GET /api/v1/flags/:key/history': async () => ({
    url: `/api/v1/flags/${(await flag()).key}/history`,
  }),
  'GET /api/v1/flags/:key/cohort': async () => ({
    url: `/api/v1/flags/${(await flag()).key}/cohort?environment=production&service=checkout`,
  }),
  'DELETE /api/v1/flags/:key': async () => {
    const { key, version } = await flag();
    return { url: `/api/v1/flags/${key}?version=${version}`, as: 'dev-dana' };
  },
  'GET /api/v1/ofrep-keys': () => ({ url: '/api/v1/ofrep-keys', as: 'ada-admin' }),
  'POST /api/v1/ofrep-keys/:environment/rotate': () => ({
    url: '/api/v1/ofrep-keys/development/rotate',
    as: 'ada-admin',
  }),
  'GET /api/v1/segments': () => ({ url: '/api/v1/segments' }),
  'POST /api/v1/segments': () => ({
    url: '/api/v1/segments',
    as: 'dev-dana',
    body: segmentSpec(fresh('segment')),
  }),
  'GET /api/v1/segments/:key': async () => ({ url: `/api/v1/segments/${(await segment()).key}` }),
  'PUT /api/v1/segments/:key': async () => {
    const { key, version } = await segment();
    return {
      url: `/api/v1/segments/${key}`,
      as: 'dev-dana',
      body: { version, spec: { ...segmentSpec(key), description: 'Edited' } },
    };
  },
  'DELETE /api/v1/segments/:key': async () => {
    const { key, version } = await segment();
    return { url: `/api/v1/segments/${key}?version=${version}`, as: 'dev-dana' };
  },
  'GET /api/v1/gamedays': () => ({ url: '/api/v1/gamedays' }),
  'GET /api/v1/gamedays/:id': async () => ({ url: `/api/v1/gamedays/${(await gameday()).id}` }),
  'POST /api/v1/gamedays': () => ({ url: '/api/v1/gamedays', body: gamedaySpec() }),
  'PUT /api/v1/gamedays/:id': async () => {
    const { id, version } = await gameday();
    return {
      url: `/api/v1/gamedays/${id}`,
      body: { version, spec: { ...gamedaySpec(), title: 'Renamed' } },
    };
  },
  'POST /api/v1/gamedays/:id/runbook/:stepId': async () => {
    const { id, runbook } = await gameday();
    return { url: `/api/v1/gamedays/${id}/runbook/${runbook[0]?.id ?? ''}`, body: { done: true } };
  },
  'POST /api/v1/gamedays/:id/notes': async () => ({
    url: `/api/v1/gamedays/${(await gameday()).id}/notes`,
    body: { text: 'A note' },
  }),
  'GET /api/v1/gamedays/:id/timeline': async () => ({
    url: `/api/v1/gamedays/${(await gameday()).id}/timeline`,
  }),
  'PUT /api/v1/gamedays/:id/findings': async () => {
    const { id, version } = await gameday();
    return {
      url: `/api/v1/gamedays/${id}/findings`,
      body: { version, findings: { broke: 'Payments' } },
    };
  },
  'GET /api/v1/gamedays/:id/report': async () => ({
    url: `/api/v1/gamedays/${(await gameday()).id}/report?format=markdown`,
  }),
  'DELETE /api/v1/gamedays/:id': async () => {
    const { id, version } = await gameday();
    return { url: `/api/v1/gamedays/${id}?version=${version}` };
  },
  'GET /api/v1/incidents': () => ({ url: '/api/v1/incidents' }),
  'GET /api/v1/incidents/:id': (w) => ({ url: `/api/v1/incidents/${w.incident.id}` }),
  'POST /api/v1/incidents/:id/updates': (w) => ({
    url: `/api/v1/incidents/${w.incident.id}/updates`,
    body: { text: 'Looking' },
  }),
  'POST /api/v1/incidents/:id/resolve': async (w) => ({
    url: `/api/v1/incidents/${w.incident.id}/resolve`,
    body: { version: (await incident(w)).version },
  }),
  'GET /api/v1/status': () => ({ url: '/api/v1/status', as: null }),
  'GET /api/v1/status/settings': () => ({ url: '/api/v1/status/settings', as: 'ada-admin' }),
  'PUT /api/v1/status/settings': () => ({
    url: '/api/v1/status/settings',
    as: 'ada-admin',
    body: { version: 1, enabled: true, tokenRequired: false },
  }),
  'GET /api/v1/rollouts': () => ({ url: '/api/v1/rollouts' }),
  'GET /api/v1/rollouts/:id': async () => ({ url: `/api/v1/rollouts/${(await rollout()).id}` }),
  'POST /api/v1/rollouts': () => ({ url: '/api/v1/rollouts', as: 'dev-dana', body: canary() }),
  'POST /api/v1/rollouts/:id/pause': async () => ({
    url: `/api/v1/rollouts/${(await rollout()).id}/pause`,
  }),
  'POST /api/v1/rollouts/:id/resume': async () => ({
    url: `/api/v1/rollouts/${(await rollout('pause')).id}/resume`,
  }),
  'POST /api/v1/rollouts/:id/promote': async () => ({
    url: `/api/v1/rollouts/${(await rollout()).id}/promote`,
  }),
  'POST /api/v1/rollouts/:id/promote-full': async () => ({
    url: `/api/v1/rollouts/${(await rollout()).id}/promote-full`,
  }),
  'POST /api/v1/rollouts/:id/abort': async () => ({
    url: `/api/v1/rollouts/${(await rollout()).id}/abort`,
    body: { reason: 'contract' },
  }),
  'POST /api/v1/rollouts/:id/retry': async () => ({
    url: `/api/v1/rollouts/${(await rollout('abort')).id}/retry`,
  }),
  'GET /api/v1/agent-tokens': () => ({ url: '/api/v1/agent-tokens', as: 'ada-admin' }),
  'POST /api/v1/agent-tokens': () => ({
    url: '/api/v1/agent-tokens',
    as: 'ada-admin',
    body: { name: 'contract' },
  }),
  'GET /api/v1/agents': () => ({ url: '/api/v1/agents' }),
  'POST /api/v1/agents/connect': (w) => ({
    url: '/api/v1/agents/connect',
    as: null,
    headers: { authorization: `Bearer ${w.agentToken}` },
    body: HELLO('contract-host-2', 'contract-b'),
  }),
  'POST /api/v1/agents/:id/heartbeat': (w) => ({
    url: `/api/v1/agents/${w.agentId}/heartbeat`,
    as: null,
    headers: { authorization: `Bearer ${w.agentToken}` },
    body: { stressCpuSeconds: { 'contract-a': 1.5 } },
  }),
  'POST /api/v1/agents/:id/reports': (w) => ({
    url: `/api/v1/agents/${w.agentId}/reports`,
    as: null,
    headers: { authorization: `Bearer ${w.agentToken}` },
    body: {
      reports: [
        {
          faultId: 'f-1',
          target: 'contract-a',
          outcome: 'removed',
          detail: 'nothing held',
          seq: 1,
        },
      ],
    },
  }),
  'DELETE /api/v1/agent-tokens/:id': (w) => ({
    url: `/api/v1/agent-tokens/${w.agentTokenId}`,
    as: 'ada-admin',
  }),
  'GET /api/v1/skipped-records': () => ({ url: '/api/v1/skipped-records', as: 'ada-admin' }),
  'GET /api/v1/webhooks': () => ({ url: '/api/v1/webhooks', as: 'ada-admin' }),
  'POST /api/v1/webhooks': () => ({ url: '/api/v1/webhooks', as: 'ada-admin', body: hookSpec() }),
  'PUT /api/v1/webhooks/:id': async () => {
    const { id, version } = await webhook();
    return {
      url: `/api/v1/webhooks/${id}`,
      as: 'ada-admin',
      body: { version, spec: hookSpec(), rotateSecret: true },
    };
  },
  'DELETE /api/v1/webhooks/:id': async () => {
    const { id, version } = await webhook();
    return { url: `/api/v1/webhooks/${id}?version=${version}`, as: 'ada-admin' };
  },
  'POST /ofrep/v1/evaluate/flags/:key': (w) => ({
    url: '/ofrep/v1/evaluate/flags/new-checkout',
    as: null,
    headers: { 'x-api-key': w.ofrepKey },
    body: { context: { targetingKey: 'u-1', country: 'NL' } },
  }),
  'POST /ofrep/v1/evaluate/flags': (w) => ({
    url: '/ofrep/v1/evaluate/flags',
    as: null,
    headers: { 'x-api-key': w.ofrepKey },
    body: { context: { targetingKey: 'u-1' } },
  }),
  'OPTIONS /ofrep/v1/evaluate/flags/:key': () => ({
    url: '/ofrep/v1/evaluate/flags/new-checkout',
    as: null,
    headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' },
  }),
  'OPTIONS /ofrep/v1/evaluate/flags': () => ({
    url: '/ofrep/v1/evaluate/flags',
    as: null,
    headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' },
  }),
  'GET /ofrep/v1/configuration': () => ({ url: '/ofrep/v1/configuration', as: null }),
  'GET /api/v1/webhooks/:id/deliveries': async () => ({
    url: `/api/v1/webhooks/${(await webhook()).id}/deliveries`,
    as: 'ada-admin',
  }),
  'POST /api/v1/webhooks/:id/test': async () => ({
    url: `/api/v1/webhooks/${(await webhook()).id}/test`,
    as: 'ada-admin',
  }),
};

/** Routes this test leaves to others, and why. */
const ELSEWHERE: Record<string, string> = {
  'GET /api/v1/stream': 'a long-lived event stream: test/mock-server/stream.test.ts',
  'GET /api/v1/agents/:id/commands': 'a long-lived event stream: test/agent/agent-link.test.ts',
  'GET /metrics': 'Prometheus text exposition: test/mock-server/prometheus.test.ts',
  'GET /status': 'the standalone status page (HTML), served only with the built dashboard',
  'GET /api/v1/openapi.json': 'the document itself: test/mock-server/openapi.test.ts',
  'GET /api/v1/status/feed.atom': 'Atom XML, parsed: test/mock-server/status-feed.test.ts',
  'GET /ofrep/v1/event-stream':
    'a long-lived event stream: test/mock-server/flags-ofrep-events.test.ts',
};

const AUDIT_CHANGES = ['POST', 'PUT', 'PATCH', 'DELETE'].flatMap((method) => [
  `${method} /api/v1/audit`,
  `${method} /api/v1/audit/:id`,
]);

/** Requests a route refuses by design, with the status it answers: errors have schemas too. */
const REFUSALS: [string, number, (w: World) => Call][] = [
  ...AUDIT_CHANGES.map((key): [string, number, (w: World) => Call] => [
    key,
    405,
    () => ({ url: key.split(' ')[1]!.replace(':id', '1'), body: {} }),
  ]),
  [
    'POST /ofrep/v1/evaluate/flags/:key',
    400,
    (w) => ({
      url: '/ofrep/v1/evaluate/flags/new-checkout',
      as: null,
      headers: { 'x-api-key': w.ofrepKey },
      body: { context: { targetingKey: 42 } },
    }),
  ],
  [
    'POST /ofrep/v1/evaluate/flags/:key',
    404,
    (w) => ({
      url: '/ofrep/v1/evaluate/flags/no-such-flag',
      as: null,
      headers: { 'x-api-key': w.ofrepKey },
      body: { context: {} },
    }),
  ],
  [
    'POST /ofrep/v1/evaluate/flags/:key',
    401,
    () => ({ url: '/ofrep/v1/evaluate/flags/new-checkout', as: null, body: { context: {} } }),
  ],
  [
    'POST /ofrep/v1/evaluate/flags',
    400,
    (w) => ({
      url: '/ofrep/v1/evaluate/flags',
      as: null,
      headers: { 'x-api-key': w.ofrepKey },
      body: [1, 2],
    }),
  ],
  [
    'POST /ofrep/v1/evaluate/flags',
    403,
    () => ({
      url: '/ofrep/v1/evaluate/flags',
      as: null,
      headers: { 'x-api-key': 'a guess' },
      body: { context: {} },
    }),
  ],
  [
    'GET /ofrep/v1/event-stream',
    403,
    () => ({ url: '/ofrep/v1/event-stream?channel=a-guess', as: null }),
  ],
];

function HELLO(host: string, target: string) {
  return {
    host,
    version: '1.0.0',
    targets: [
      {
        name: target,
        service: 'shop',
        environment: 'development',
        labels: {},
        pid: 4242,
        http: false,
      },
    ],
  };
}

let server: TestServer;
let world: World;

async function json<T>(response: LightMyRequestResponse, status: number): Promise<T> {
  expect(response.statusCode, response.body).toBe(status);
  return response.json() as T;
}

let serial = 0;
const fresh = (what: string) => `contract-${what}-${++serial}`;

const draft = () => createExperiment(server, calmSpec({ name: fresh('experiment') }));

async function flag(): Promise<Flag> {
  const body = staffFlag(fresh('flag'));
  return json(await server.call('POST', '/api/v1/flags', { as: 'dev-dana', body }), 201);
}

function segmentSpec(key: string) {
  return {
    key,
    name: key,
    description: '',
    conditions: [{ operator: 'in', attribute: 'country', values: ['NL'] }],
  };
}
async function segment(): Promise<Segment> {
  const body = segmentSpec(fresh('segment'));
  return json(await server.call('POST', '/api/v1/segments', { as: 'dev-dana', body }), 201);
}

function gamedaySpec() {
  const now = server.clock.now();
  return {
    title: fresh('day'),
    startsAt: now,
    endsAt: now + 3_600_000,
    runbook: [{ text: 'one' }],
  };
}
async function gameday(): Promise<Gameday> {
  return json(await server.call('POST', '/api/v1/gamedays', { body: gamedaySpec() }), 201);
}

/** A webhook to a loopback port nothing listens on: its test message simply fails. */
const hookSpec = () => ({
  name: fresh('webhook'),
  url: 'http://127.0.0.1:9/hook',
  events: ['halt-all'],
});
async function webhook(): Promise<Webhook> {
  const body = hookSpec();
  return json(await server.call('POST', '/api/v1/webhooks', { as: 'ada-admin', body }), 201);
}

async function incident(w: World): Promise<Incident> {
  return json(await server.call('GET', `/api/v1/incidents/${w.incident.id}`), 200);
}

/** A canary on a service and environment no other canary of this test uses (10 pairs). */
const SERVICES = ['checkout', 'payments', 'catalog', 'frontend', 'search'];
const ENVIRONMENTS = ['staging', 'production'];
let canaries = 0;
function canary() {
  const n = canaries++;
  return canarySpec({
    service: SERVICES[n % SERVICES.length],
    environment: ENVIRONMENTS[Math.floor(n / SERVICES.length) % ENVIRONMENTS.length],
  });
}
async function rollout(then?: 'pause' | 'abort'): Promise<Rollout> {
  const created = await createRollout(server, canary());
  if (!then) return created;
  return json(
    await server.call('POST', `/api/v1/rollouts/${created.id}/${then}`, { as: 'sam-sre' }),
    200,
  );
}

beforeAll(async () => {
  server = await startTestServer();
  const aborting = await createExperiment(server, abortingSpec());
  await startExperiment(server, aborting.id, aborting.version);
  server.advance(10);
  const opened = (
    await json<{ incidents: Incident[] }>(await server.call('GET', '/api/v1/incidents'), 200)
  ).incidents[0];
  if (!opened) throw new Error('no incident opened');
  const created = await json<{ id: string; token: string }>(
    await server.call('POST', '/api/v1/agent-tokens', { as: 'ada-admin', body: { name: 'agent' } }),
    201,
  );
  const connected = await server.app.inject({
    method: 'POST',
    url: '/api/v1/agents/connect',
    headers: { authorization: `Bearer ${created.token}` },
    payload: HELLO('contract-host', 'contract-a'),
  });
  const spare = await json<{ token: string }>(
    await server.call('POST', '/api/v1/session', { as: null, body: { user: 'dev-dana' } }),
    200,
  );
  world = {
    incident: opened,
    agentTokenId: created.id,
    agentToken: created.token,
    agentId: (await json<{ agentId: string }>(connected, 200)).agentId,
    spareToken: spare.token,
    ofrepKey: await server.ofrepKey('production'),
  };
});
afterAll(() => server.app.close());

/** The schema a route declares for `status`, and the content type it says it answers in. */
function declaredAnswer(
  response: Record<string, unknown>,
  status: number,
): { schema: z.ZodType; type: string } | null {
  const declared = response[String(status)];
  if (declared instanceof z.ZodType) return { schema: declared, type: 'application/json' };
  if (declared && typeof declared === 'object' && 'content' in declared) {
    const [type, entry] =
      Object.entries(declared.content as Record<string, { schema: z.ZodType }>)[0] ?? [];
    if (type && entry) return { schema: entry.schema, type };
  }
  return null;
}

/** The route `key` declares, called with `call`. */
async function answerTo(key: string, call: Call) {
  const route = declaredRoutes(server.app).find((r) => `${r.method} ${r.url}` === key);
  expect(route, `${key} is not registered`).toBeDefined();
  const token = call.as === null ? null : await server.tokenFor(call.as ?? 'sam-sre');
  const response = await server.app.inject({
    method: route!.method as 'GET',
    url: call.url,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...call.headers,
      ...(call.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(call.body === undefined ? {} : { payload: JSON.stringify(call.body) }),
  });
  return { route: route!, response };
}

/** The answer is what the route declares for its status, in the declared content type. */
function expectDeclared(
  key: string,
  route: { schema?: { response?: unknown } },
  response: LightMyRequestResponse,
) {
  const declared = declaredAnswer(
    (route.schema?.response ?? {}) as Record<string, unknown>,
    response.statusCode,
  );
  expect(declared, `${key} declares no answer for ${response.statusCode}`).not.toBeNull();
  const { schema, type } = declared!;
  const empty = response.statusCode === 204 || response.statusCode === 304;
  expect(String(response.headers['content-type'] ?? type)).toContain(
    empty ? '' : type.split(';')[0]!,
  );
  const body = empty
    ? undefined
    : type.startsWith('application/json')
      ? response.json()
      : response.body;
  const parsed = schema.safeParse(body);
  expect(
    parsed.success,
    parsed.success ? '' : JSON.stringify(parsed.error.issues.slice(0, 3)),
  ).toBe(true);
}

describe('every route, called with a valid request', () => {
  it('has a valid request here or a reason it is tested elsewhere', () => {
    const keys = declaredRoutes(server.app).map((r) => `${r.method} ${r.url}`);
    const refused = REFUSALS.map(([key]) => key);
    const untested = keys.filter(
      (key) => !(key in CALLS) && !(key in ELSEWHERE) && !refused.includes(key),
    );
    expect(untested).toEqual([]);
    // A request for a route that no longer exists is a stale table.
    expect([...Object.keys(CALLS), ...refused].filter((key) => !keys.includes(key))).toEqual([]);
  });

  // Each request makes what it changes first, so none depends on another's order.
  it.each(Object.keys(CALLS))('%s answers what its response schema declares', async (key) => {
    const { route, response } = await answerTo(key, await CALLS[key]!(world));
    expect(response.statusCode, response.body).toBeLessThan(300);
    expectDeclared(key, route, response);
  });
});

describe('every refusal', () => {
  it.each(REFUSALS)('%s answers %i as its response schema declares', async (key, status, call) => {
    const { route, response } = await answerTo(key, call(world));
    expect(response.statusCode, response.body).toBe(status);
    expectDeclared(key, route, response);
  });
});
