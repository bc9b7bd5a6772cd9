import type { LightMyRequestResponse } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { apiErrorSchema } from '../../src/domain';
import { startExperiment, mildLatencySpec, testServer, type TestServer } from './test-server';

const LIMIT = { max: 3, windowMs: 60_000 };
let server: TestServer;
afterEach(() => server?.app.close());

async function limited(which: 'sessions' | 'authFailures' | 'ofrepKeyFailures') {
  server = await testServer({
    config: {
      rateLimits: {
        sessions: { max: 100, windowMs: 60_000 },
        authFailures: { max: 100, windowMs: 60_000 },
        ofrepKeyFailures: { max: 100, windowMs: 60_000 },
        [which]: LIMIT,
      },
    },
  });
  return server;
}

function expectTooMany(response: LightMyRequestResponse): void {
  expect(response.statusCode).toBe(429);
  const retryAfter = Number(response.headers['retry-after']);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(60);
  const body = apiErrorSchema.strict().parse(response.json());
  expect(body.error.code).toBe('rate_limited');
  expect(body.error.message).toMatch(/^too many .+ from this address: try again in \d+ s$/);
}

const withToken = (token: string, method: 'GET' | 'POST', url: string, payload?: unknown) =>
  server.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
  });

describe('rate limits, per client address', () => {
  it('refuses a sign-in past the limit with 429 and Retry-After, and hands out no token', async () => {
    await limited('sessions');
    const signIn = () =>
      server.app.inject({ method: 'POST', url: '/api/v1/session', payload: { user: 'sam-sre' } });
    for (let i = 0; i < LIMIT.max; i++) expect((await signIn()).statusCode).toBe(200);
    const refused = await signIn();
    expectTooMany(refused);
    expect(refused.json().error.message).toContain('too many sign-ins');
    expect(refused.body).not.toContain('token"');
  });

  it('answers unknown tokens past the limit with 429, while a known token still halts everything', async () => {
    await limited('authFailures');
    const good = await server.tokenFor('vic-viewer');
    const experiment = await startExperiment(server, mildLatencySpec());
    for (let i = 0; i < LIMIT.max; i++)
      expect((await withToken(`guess-${i}`, 'GET', '/api/v1/experiments')).statusCode).toBe(401);
    expectTooMany(await withToken('guess-x', 'GET', '/api/v1/experiments'));
    expectTooMany(await withToken('guess-y', 'POST', '/api/v1/halt-all', {}));

    // The same address, signed in: reads, halts and halt all are never limited.
    expect((await withToken(good, 'GET', '/api/v1/experiments')).statusCode).toBe(200);
    const halted = await withToken(good, 'POST', `/api/v1/experiments/${experiment.id}/halt`, {});
    expect(halted.statusCode).toBe(200);
    expect(server.experiment(experiment.id).state).toBe('halted');
    for (let i = 0; i < 50; i++)
      expect((await withToken(good, 'POST', '/api/v1/halt-all', {})).statusCode).toBe(200);
  });

  it('answers wrong agent tokens past the limit with 429, auditing only those within it; a real agent still connects', async () => {
    await limited('authFailures');
    const made = await withToken(
      await server.tokenFor('ada-admin'),
      'POST',
      '/api/v1/agent-tokens',
      {
        name: 'host-1',
      },
    );
    const agentToken = made.json().token as string;
    const connect = (token: string) =>
      withToken(token, 'POST', '/api/v1/agents/connect', { version: '1', host: 'h', targets: [] });
    const refusals = () =>
      server.context.db
        .prepare("SELECT COUNT(*) AS n FROM audit WHERE action = 'agent.refused'")
        .get() as { n: number };
    for (let i = 0; i < LIMIT.max; i++)
      expect((await connect(`fla_guess-${i}`)).statusCode).toBe(401);
    for (let i = 0; i < 20; i++) expectTooMany(await connect(`fla_more-${i}`));
    expect(refusals().n).toBe(LIMIT.max);
    expect((await connect(agentToken)).statusCode).not.toBe(429);
  });

  it("answers wrong-token heartbeats past the limit with 429, auditing only those within it; a valid token's are taken", async () => {
    await limited('authFailures');
    const made = await withToken(
      await server.tokenFor('ada-admin'),
      'POST',
      '/api/v1/agent-tokens',
      { name: 'host-1' },
    );
    const agentToken = made.json().token as string;
    const connected = await withToken(agentToken, 'POST', '/api/v1/agents/connect', {
      version: '1',
      host: 'h',
      targets: [
        {
          name: 'agent-h-1',
          service: 'shop',
          environment: 'development',
          labels: {},
          pid: 1,
          http: false,
        },
      ],
    });
    expect(connected.statusCode, connected.body).toBe(200);
    const { agentId } = connected.json() as { agentId: string };
    const heartbeat = (token: string) =>
      withToken(token, 'POST', `/api/v1/agents/${agentId}/heartbeat`, { stressCpuSeconds: {} });
    const refusals = () =>
      server.context.db
        .prepare("SELECT COUNT(*) AS n FROM audit WHERE action = 'agent.refused'")
        .get() as { n: number };

    for (let i = 0; i < LIMIT.max; i++)
      expect((await heartbeat(`fla_guess-${i}`)).statusCode).toBe(401);
    for (let i = 0; i < 20; i++) expectTooMany(await heartbeat(`fla_more-${i}`));
    expect(refusals().n).toBe(LIMIT.max);
    // One count per address for every agent route: a wrong-token connect is past it too.
    expectTooMany(
      await withToken('fla_guess-c', 'POST', '/api/v1/agents/connect', {
        version: '1',
        host: 'h',
        targets: [],
      }),
    );
    expect(refusals().n).toBe(LIMIT.max);

    // The same address with the right token: every heartbeat is taken.
    for (let i = 0; i < 10; i++) {
      server.clock.advance(1_000);
      expect((await heartbeat(agentToken)).statusCode).toBe(204);
    }
    expect(server.agents.hub.list()[0]!.lastSeenAt).toBe(server.clock.now());
  });

  it('does not count a stale token on a public route', async () => {
    await limited('authFailures');
    for (let i = 0; i < LIMIT.max + 5; i++)
      expect((await withToken('stale', 'GET', '/api/v1/status')).statusCode).toBe(200);
    expect((await withToken('stale', 'GET', '/api/v1/experiments')).statusCode).toBe(401);
  });

  it('answers wrong OFREP keys past the limit with 429 in the error contract; a right key still evaluates', async () => {
    await limited('ofrepKeyFailures');
    const rotated = await server.call('POST', '/api/v1/ofrep-keys/production/rotate', {
      as: 'ada-admin',
      body: {},
    });
    const key = rotated.json().key as string;
    const evaluate = (headers: Record<string, string>) =>
      server.app.inject({
        method: 'POST',
        url: '/ofrep/v1/evaluate/flags/new-checkout',
        headers: { 'content-type': 'application/json', ...headers },
        payload: JSON.stringify({ context: { targetingKey: 'u-1' } }),
      });
    expect((await evaluate({ 'x-api-key': 'ff_nope' })).statusCode).toBe(403);
    expect((await evaluate({})).statusCode).toBe(401);
    expect((await evaluate({ 'x-api-key': 'ff_nope' })).statusCode).toBe(403);
    const refused = await evaluate({ 'x-api-key': 'ff_nope' });
    expectTooMany(refused);
    expect(refused.headers['access-control-allow-origin']).toBe('*');
    for (let i = 0; i < 10; i++)
      expect((await evaluate({ 'x-api-key': key })).statusCode).toBe(200);
  });
});
