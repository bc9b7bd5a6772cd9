import type { ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { agentFaultFor } from '../../mock-server/agents/agent-backend';
import { testServer, cpuSpec, createExperiment, type TestServer } from './test-server';

let server: TestServer;
afterEach(async () => {
  await server.app.close();
});

/** An agent with one target, registered on the hub as a connecting agent would be. */
function connectAgent(target: string, labels: Record<string, string>) {
  return server.agents.hub.connect(
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
    ['rate-limit', 20, { type: 'error', percent: 20, status: 429 }],
    ['connection-drop', 7.5, { type: 'drop', percent: 7.5 }],
    ['shutdown', undefined, { type: 'shutdown' }],
  ] as const)('%s at %s becomes %o', (attack, magnitude, fault) => {
    expect(agentFaultFor(attack, magnitude)).toEqual(fault);
  });

  it('is a refusal naming netem for packet loss', () => {
    expect(agentFaultFor('packet-loss', 10)).toMatch(/needs kernel netem/);
  });
});

describe('rate limiting and connection drops on an agent target', () => {
  /** The agent's command stream, as the hub writes it: each command the agent is sent. */
  function openCommandStream(agentId: string) {
    const stream = new PassThrough();
    const commands: { seq: number; op: string; faultId: string; fault?: unknown }[] = [];
    let buffered = '';
    stream.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const frames = buffered.split('\n\n');
      buffered = frames.pop() ?? '';
      for (const frame of frames) {
        const data = /^event: command\ndata: (.*)$/s.exec(frame)?.[1];
        if (data) commands.push(JSON.parse(data) as (typeof commands)[number]);
      }
    });
    expect(
      server.agents.hub.openStream(agentId, 'token-1', stream as unknown as ServerResponse),
    ).toBe(true);
    return { commands, close: () => stream.destroy() };
  }

  it.each([
    ['rate-limit', 30, { type: 'error', percent: 30, status: 429 }],
    ['connection-drop', 10, { type: 'drop', percent: 10 }],
  ] as const)(
    'a started %s experiment at %s sends its agent %o, and starts on its report',
    async (attack, magnitude, fault) => {
      server = await testServer();
      const agentId = connectAgent('shop-1', { zone: 'agent-zone' });
      const stream = openCommandStream(agentId);
      const created = await createExperiment(
        server,
        cpuSpec({
          attack: { type: attack },
          steps: [{ magnitude, durationSeconds: 60 }],
          blastRadius: { scope: 'hosts', selector: { zone: 'agent-zone' }, mode: 'all' },
        }),
      );
      const started = start(created.id, created.version);
      for (let i = 0; i < 200 && stream.commands.length === 0; i += 1)
        await new Promise((resolve) => setTimeout(resolve, 10));
      const [command] = stream.commands;
      expect(command).toMatchObject({ op: 'apply', target: 'shop-1', fault });
      server.agents.hub.report(agentId, 'token-1', [
        {
          seq: command!.seq,
          faultId: command!.faultId,
          target: 'shop-1',
          outcome: 'applied',
          detail: 'fault proxy on port 1: applied',
        },
      ]);
      const response = await started;
      expect(response.statusCode, response.body).toBe(200);
      expect(server.experiment(created.id).state).toBe('running');
      stream.close();
    },
  );
});
