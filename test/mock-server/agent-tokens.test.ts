import type { LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { agentTokenViewSchema, type AgentTokenView } from '../../src/domain/agents';
import { FLAG_SERVICE } from '../../src/domain';
import { testServer, type TestServer } from './test-server';

let server: TestServer;
beforeEach(async () => {
  server = await testServer();
});
afterEach(() => server.app.close());

function hello(host: string, target: string, service = 'shop') {
  return {
    host,
    version: '1.0.0',
    targets: [
      { name: target, service, environment: 'development', labels: {}, pid: 4242, http: false },
    ],
  };
}

/** A token made by the admin, as the agents page makes one. */
async function newToken(name: string): Promise<{ id: string; token: string }> {
  const made = await server.call('POST', '/api/v1/agent-tokens', {
    as: 'ada-admin',
    body: { name },
  });
  expect(made.statusCode, made.body).toBe(201);
  return made.json() as { id: string; token: string };
}

/** The token as the admin's list shows it. */
async function listed(id: string): Promise<AgentTokenView> {
  const answer = await server.call('GET', '/api/v1/agent-tokens', { as: 'ada-admin' });
  const tokens = (answer.json() as { tokens: unknown[] }).tokens.map((t) =>
    agentTokenViewSchema.parse(t),
  );
  const token = tokens.find((t) => t.id === id);
  if (!token) throw new Error(`no token ${id} listed`);
  return token;
}

/** A request as the agent holding `token`. */
function asAgent(
  token: string,
  method: 'GET' | 'POST',
  url: string,
  body?: unknown,
): Promise<LightMyRequestResponse> {
  return server.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}` },
    ...(body === undefined ? {} : { payload: body as object }),
  });
}

/** The agent holding `token` connecting from `host` with one target. */
function connect(token: string, host: string, target: string, service?: string) {
  return asAgent(token, 'POST', '/api/v1/agents/connect', hello(host, target, service));
}

describe("an agent token's last use", () => {
  it('moves only on a request the server accepted, not on one it refused', async () => {
    const { id, token } = await newToken('host-a');
    const refused = async (send: () => Promise<LightMyRequestResponse>, status: number) => {
      server.clock.advance(1_000);
      const response = await send();
      expect(response.statusCode, response.body).toBe(status);
    };

    // A body that fails its schema, an agent this token never connected, a clash.
    await refused(() => asAgent(token, 'POST', '/api/v1/agents/connect', { host: 'host-a' }), 400);
    await refused(
      () =>
        asAgent(token, 'POST', '/api/v1/agents/no-such-agent/heartbeat', { stressCpuSeconds: {} }),
      404,
    );
    await refused(
      () =>
        asAgent(token, 'POST', '/api/v1/agents/no-such-agent/reports', {
          reports: [{ faultId: 'f-1', target: 'a-1', outcome: 'removed', detail: 'none', seq: 1 }],
        }),
      404,
    );
    const taken = server.backend.inventory.fleet().instances[0]!.id;
    await refused(() => connect(token, 'host-a', taken), 409);
    expect((await listed(id)).lastUsedAt).toBeNull();

    server.clock.advance(1_000);
    const connected = await connect(token, 'host-a', 'agent-a-1');
    expect(connected.statusCode, connected.body).toBe(200);
    const connectedAt = server.clock.now();
    expect((await listed(id)).lastUsedAt).toBe(connectedAt);
    const { agentId } = connected.json() as { agentId: string };

    server.clock.advance(1_000);
    const beat = await asAgent(token, 'POST', `/api/v1/agents/${agentId}/heartbeat`, {
      stressCpuSeconds: {},
    });
    expect(beat.statusCode, beat.body).toBe(204);
    const beatAt = server.clock.now();
    expect((await listed(id)).lastUsedAt).toBe(beatAt);

    // Refused again (a bad heartbeat, another agent's id): the last use stays the heartbeat's.
    await refused(
      () =>
        asAgent(token, 'POST', `/api/v1/agents/${agentId}/heartbeat`, { stressCpuSeconds: 'x' }),
      400,
    );
    await refused(
      () =>
        asAgent(token, 'POST', '/api/v1/agents/no-such-agent/heartbeat', { stressCpuSeconds: {} }),
      404,
    );
    expect((await listed(id)).lastUsedAt).toBe(beatAt);

    // Revoked: refused, and no use either.
    const revoked = await server.call('DELETE', `/api/v1/agent-tokens/${id}`, { as: 'ada-admin' });
    expect(revoked.statusCode, revoked.body).toBe(200);
    await refused(() => connect(token, 'host-a', 'agent-a-2'), 401);
    expect(await listed(id)).toMatchObject({ lastUsedAt: beatAt, revokedAt: expect.any(Number) });
  });

  it("does not move for another token's agent, nor for the token that was refused", async () => {
    const first = await newToken('host-a');
    const second = await newToken('host-b');
    const connected = await connect(first.token, 'host-a', 'agent-a-1');
    expect(connected.statusCode, connected.body).toBe(200);
    const { agentId } = connected.json() as { agentId: string };
    // The second token beating for the first token's agent is refused.
    server.clock.advance(1_000);
    const beat = await asAgent(second.token, 'POST', `/api/v1/agents/${agentId}/heartbeat`, {
      stressCpuSeconds: {},
    });
    expect(beat.statusCode, beat.body).toBe(404);
    expect((await listed(second.id)).lastUsedAt).toBeNull();
    expect((await listed(first.id)).lastUsedAt).toBe(server.clock.now() - 1_000);
  });
});

describe('an agent connect that clashes with the fleet', () => {
  it('answers 409 already_exists naming the instance, not a version conflict', async () => {
    const { token } = await newToken('host-a');
    const first = await connect(token, 'host-a', 'a-1');
    expect(first.statusCode, first.body).toBe(200);
    const other = await newToken('host-b');
    const again = await connect(other.token, 'host-b', 'a-1');
    expect(again.statusCode).toBe(409);
    expect(again.json()).toEqual({
      error: {
        code: 'already_exists',
        message: 'an instance named a-1 already exists in the fleet',
      },
    });
  });

  it("answers 409 already_exists for a target on Faultline's own flag service", async () => {
    const { token } = await newToken('host-a');
    const answer = await connect(token, 'host-a', 'a-1', FLAG_SERVICE);
    expect(answer.statusCode).toBe(409);
    expect(answer.json()).toMatchObject({
      error: { code: 'already_exists', message: expect.stringContaining(FLAG_SERVICE) },
    });
  });

  it('refuses one connect naming a target twice with a 400 naming the second, and lists neither', async () => {
    const { token } = await newToken('host-a');
    const twice = hello('host-a', 'a-1');
    twice.targets.push({ ...twice.targets[0]!, pid: 4343 });
    const answer = await asAgent(token, 'POST', '/api/v1/agents/connect', twice);
    expect(answer.statusCode, answer.body).toBe(400);
    const error = answer.json().error;
    expect(error.code).toBe('validation_failed');
    expect(error.details.issues).toContainEqual(
      expect.objectContaining({ path: 'targets.1.name', message: '"a-1" is already targets.0' }),
    );
    expect(server.backend.inventory.fleet().instances.map((i) => i.id)).not.toContain('a-1');
  });
});
