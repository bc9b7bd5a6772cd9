import { afterEach, describe, expect, it } from 'vitest';
import { agentFaultFor } from '../../mock-server/agents/agent-backend';
import { testServer, cpuSpec, createExperiment, type TestServer } from './test-server';

let server: TestServer;
afterEach(async () => {
  await server.app.close();
});

/** An agent with one target, registered on the hub as a connecting agent would be. */
function connectAgent(target: string, labels: Record<string, string>) {
  server.agents.hub.connect(
    { id: 'token-1', name: 'laptop' },
    {
      host: 'laptop',
      version: '1',
      holding: [],
      targets: [
        { name: target, service: 'checkout', environment: 'staging', labels, pid: 1, http: true },
      ],
    },
    () => false,
  );
}

async function start(id: string, version: number) {
  return server.call('POST', `/api/v1/experiments/${id}/start`, { body: { version } });
}

describe('attacks an agent target cannot take', () => {
  it('refuses packet loss on an agent target with the reason, and starts nothing', async () => {
    server = await testServer();
    connectAgent('shop-1', { zone: 'agent-zone' });
    const created = await createExperiment(
      server,
      cpuSpec({
        attack: { type: 'packet-loss' },
        steps: [{ magnitude: 10, durationSeconds: 60 }],
        blastRadius: { scope: 'hosts', selector: { zone: 'agent-zone' }, mode: 'all' },
      }),
    );
    const response = await start(created.id, created.version);
    expect(response.statusCode).toBe(422);
    const { error } = response.json() as { error: { code: string; message: string } };
    expect(error.code).toBe('start_refused');
    expect(error.message).toContain('Packet loss cannot run on shop-1');
    expect(error.message).toContain('kernel netem');
    expect(server.experiment(created.id).state).toBe('draft');
    expect(server.agents.hub.list()[0]!.faults).toEqual([]);
  });

  it('starts packet loss when the blast radius holds no agent target', async () => {
    server = await testServer();
    connectAgent('shop-1', { zone: 'agent-zone' });
    const created = await createExperiment(
      server,
      cpuSpec({
        attack: { type: 'packet-loss' },
        steps: [{ magnitude: 10, durationSeconds: 60 }],
      }),
    );
    const response = await start(created.id, created.version);
    expect(response.statusCode, response.body).toBe(200);
    expect((response.json() as { run: { targets: string[] } }).run.targets).not.toContain('shop-1');
  });

  it('starts CPU pressure on the same agent target (only packet loss is refused)', async () => {
    server = await testServer();
    connectAgent('shop-1', { zone: 'agent-zone' });
    const created = await createExperiment(
      server,
      cpuSpec({ blastRadius: { scope: 'hosts', selector: { zone: 'agent-zone' }, mode: 'all' } }),
    );
    const response = await start(created.id, created.version);
    expect(response.statusCode, response.body).toBe(200);
    expect((response.json() as { run: { targets: string[] } }).run.targets).toEqual(['shop-1']);
  });
});

describe('the fault each attack asks of an agent', () => {
  it.each([
    ['cpu', 60, { type: 'cpu', percent: 60 }],
    ['memory', 30, { type: 'memory', percent: 30 }],
    ['latency', 250.4, { type: 'latency', ms: 250 }],
    ['error', 5, { type: 'error', percent: 5, status: 500 }],
    ['shutdown', undefined, { type: 'shutdown' }],
  ] as const)('%s at %s becomes %o', (attack, magnitude, fault) => {
    expect(agentFaultFor(attack, magnitude)).toEqual(fault);
  });

  it('is a refusal naming netem for packet loss', () => {
    expect(agentFaultFor('packet-loss', 10)).toMatch(/needs kernel netem/);
  });
});
