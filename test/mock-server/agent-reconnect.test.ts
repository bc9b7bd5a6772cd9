import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sseEvents } from '../../agent/sse-lines';
import { FLAG_SERVICE } from '../../src/domain';
import {
  agentCommandSchema,
  agentViewSchema,
  type AgentCommand,
  type AgentHello,
  type AgentView,
  type FaultReport,
} from '../../src/domain/agents';
import { cpuSpec, startExperiment, testServer, type TestServer } from './test-server';

let server: TestServer;
let base: string;
const stops: (() => void)[] = [];
beforeEach(async () => {
  server = await testServer();
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  for (const stop of stops.splice(0)) stop();
  await server.app.close();
});

const TARGET = 'agent-shop-1';

function hello(targets: { name: string; service: string }[]): AgentHello {
  return {
    host: 'laptop',
    version: '1.0.0',
    holding: [],
    targets: targets.map(({ name, service }) => ({
      name,
      service,
      environment: 'staging',
      labels: { rack: 'r9' },
      pid: 4242,
      http: true,
    })),
  };
}

function post(token: string, url: string, body: unknown): Promise<Response> {
  return fetch(`${base}${url}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** What the agent says it did with a command: done, as asked. */
function reportsFor(command: AgentCommand): FaultReport[] {
  switch (command.op) {
    case 'apply':
      return [{ faultId: command.faultId, target: command.target, outcome: 'applied', detail: '' }];
    case 'change':
      return [{ faultId: command.faultId, target: TARGET, outcome: 'changed', detail: '' }];
    case 'remove':
      return [{ faultId: command.faultId, target: TARGET, outcome: 'removed', detail: '' }];
    case 'reconcile':
      return [{ faultId: 'reconcile', target: 'unknown', outcome: 'removed', detail: '' }];
  }
}

interface ScriptedAgent {
  agentId: string;
  /** Every command its stream carried, in order. */
  commands: AgentCommand[];
  /** Whether the server ended its command stream. */
  streamEnded(): boolean;
}

/**
 * An agent speaking the agent protocol over loopback as agent/agent.ts does: connect, open the
 * command stream, and report each command done.
 */
async function connectAgent(token: string, body: AgentHello): Promise<ScriptedAgent> {
  const connected = await post(token, '/api/v1/agents/connect', body);
  expect(connected.status, await connected.clone().text()).toBe(200);
  const { agentId } = (await connected.json()) as { agentId: string };
  const quit = new AbortController();
  stops.push(() => quit.abort());
  const stream = await fetch(`${base}/api/v1/agents/${agentId}/commands`, {
    headers: { authorization: `Bearer ${token}` },
    signal: quit.signal,
  });
  expect(stream.status).toBe(200);
  const commands: AgentCommand[] = [];
  let ended = false;
  void (async () => {
    try {
      for await (const event of sseEvents(stream.body!)) {
        if (event.event !== 'command') continue;
        const command = agentCommandSchema.parse(JSON.parse(event.data));
        commands.push(command);
        const reports = reportsFor(command).map((report) => ({ ...report, seq: command.seq }));
        await post(token, `/api/v1/agents/${agentId}/reports`, { reports });
      }
    } catch {
      // Aborted at the end of the test.
    } finally {
      ended = true;
    }
  })();
  return { agentId, commands, streamEnded: () => ended };
}

async function agents(): Promise<AgentView[]> {
  const answer = await server.call('GET', '/api/v1/agents', { as: 'vic-viewer' });
  return (answer.json() as { agents: unknown[] }).agents.map((a) => agentViewSchema.parse(a));
}

async function fleetIds(): Promise<string[]> {
  const answer = await server.call('GET', '/api/v1/fleet', { as: 'vic-viewer' });
  return (answer.json() as { instances: { id: string }[] }).instances.map((i) => i.id);
}

/** Polls every 20 ms until `check` holds, 5 s at most. */
async function until(check: () => Promise<boolean> | boolean): Promise<boolean> {
  for (let waited = 0; waited < 5_000; waited += 20) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return check();
}

async function newToken(name: string): Promise<string> {
  const made = await server.call('POST', '/api/v1/agent-tokens', {
    as: 'ada-admin',
    body: { name },
  });
  expect(made.statusCode, made.body).toBe(201);
  return (made.json() as { token: string }).token;
}

/** Added latency on every host labelled rack=r9 of checkout in staging: the agent's target. */
const onTheAgentTarget = () =>
  cpuSpec({
    name: 'Latency on the agent target',
    blastRadius: {
      scope: 'hosts',
      selector: { rack: 'r9' },
      mode: 'all',
      value: 100,
      source: { kind: 'selector' },
    },
    attack: { type: 'latency' },
    steps: [{ magnitude: 50, durationSeconds: 600 }],
  });

/** An agent holding an experiment's fault on its one target. */
async function agentHoldingAFault(token: string) {
  const agent = await connectAgent(token, hello([{ name: TARGET, service: 'checkout' }]));
  const experiment = await startExperiment(server, onTheAgentTarget());
  expect(experiment.run?.targets).toEqual([TARGET]);
  const faultId = `${experiment.id}/${TARGET}`;
  const held = await until(async () =>
    (await agents()).some((a) => a.faults.some((f) => f.faultId === faultId)),
  );
  expect(held).toBe(true);
  return { agent, experiment, faultId };
}

describe('an agent reconnecting on the same host with the same token', () => {
  it('is refused 409 on a clash and leaves the connected agent online, in the fleet, holding its fault', async () => {
    const token = await newToken('laptop');
    const { agent, experiment, faultId } = await agentHoldingAFault(token);
    const simulated = server.backend.inventory
      .fleet()
      .instances.find((instance) => instance.id !== TARGET)!.id;

    const clashes = [
      hello([
        { name: TARGET, service: 'checkout' },
        { name: simulated, service: 'checkout' },
      ]),
      hello([
        { name: TARGET, service: 'checkout' },
        { name: 'agent-flags-1', service: FLAG_SERVICE },
      ]),
    ];
    for (const clash of clashes) {
      const refused = await post(token, '/api/v1/agents/connect', clash);
      expect(refused.status).toBe(409);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe(
        'already_exists',
      );
    }

    expect(await agents()).toMatchObject([
      { id: agent.agentId, online: true, targets: [{ name: TARGET }], faults: [{ faultId }] },
    ]);
    expect(await fleetIds()).toContain(TARGET);
    expect(await fleetIds()).not.toContain('agent-flags-1');
    expect(agent.streamEnded()).toBe(false);
    expect(server.experiment(experiment.id).state).toBe('running');

    // The link still works end to end: halting sends the removal down the same stream.
    const halted = await server.call('POST', `/api/v1/experiments/${experiment.id}/halt`, {
      body: {},
    });
    expect(halted.statusCode, halted.body).toBe(200);
    expect(
      await until(() => agent.commands.some((c) => c.op === 'remove' && c.faultId === faultId)),
    ).toBe(true);
    expect(await until(async () => (await agents())[0]?.faults.length === 0)).toBe(true);
  });

  it('is accepted when nothing clashes: it replaces the old connection and gets the fault again', async () => {
    const token = await newToken('laptop');
    const { agent, faultId } = await agentHoldingAFault(token);

    const again = await connectAgent(token, hello([{ name: TARGET, service: 'checkout' }]));
    expect(again.agentId).not.toBe(agent.agentId);
    expect(await until(() => agent.streamEnded())).toBe(true);
    expect(
      await until(() => again.commands.some((c) => c.op === 'apply' && c.faultId === faultId)),
    ).toBe(true);
    expect(await agents()).toMatchObject([{ id: again.agentId, online: true }]);
    expect(await fleetIds()).toContain(TARGET);
  });
});

describe("an agent's reports on an experiment's fault", () => {
  async function recorded(experimentId: string) {
    const answer = await server.call(
      'GET',
      `/api/v1/audit?experimentId=${experimentId}&action=agent.fault`,
      { as: 'ada-admin' },
    );
    return (answer.json() as { entries: { action: string; actor: string }[] }).entries;
  }

  it('are written to the audit log under the experiment only when they answer a command the server sent', async () => {
    const token = await newToken('laptop');
    const { agent, experiment, faultId } = await agentHoldingAFault(token);
    expect(await recorded(experiment.id)).toMatchObject([
      { action: 'agent.fault.applied', actor: 'agent laptop' },
    ]);

    // A report of its own, answering nothing the server asked: taken, but not recorded.
    const unasked = await post(token, `/api/v1/agents/${agent.agentId}/reports`, {
      reports: [{ seq: 9_999, faultId, target: TARGET, outcome: 'failed', detail: 'made up' }],
    });
    expect(unasked.status).toBe(204);
    expect(await recorded(experiment.id)).toHaveLength(1);
  });
});

describe('a reconcile that removes several faults', () => {
  it("records each fault it removed under the fault's experiment, not only the first", async () => {
    const token = await newToken('laptop');
    const connected = await post(
      token,
      '/api/v1/agents/connect',
      hello([
        { name: 'agent-shop-1', service: 'checkout' },
        { name: 'agent-shop-2', service: 'checkout' },
      ]),
    );
    const { agentId } = (await connected.json()) as { agentId: string };
    // The command stream, read but not answered: this test answers for the agent.
    const quit = new AbortController();
    stops.push(() => quit.abort());
    const stream = await fetch(`${base}/api/v1/agents/${agentId}/commands`, {
      headers: { authorization: `Bearer ${token}` },
      signal: quit.signal,
    });
    const commands: AgentCommand[] = [];
    void (async () => {
      for await (const event of sseEvents(stream.body!)) {
        if (event.event === 'command')
          commands.push(agentCommandSchema.parse(JSON.parse(event.data)));
      }
    })().catch(() => undefined);
    const answer = (seq: number, reports: FaultReport[]) =>
      post(token, `/api/v1/agents/${agentId}/reports`, {
        reports: reports.map((report) => ({ ...report, seq })),
      });

    const experiment = await startExperiment(server, onTheAgentTarget());
    expect(await until(() => commands.filter((c) => c.op === 'apply').length === 2)).toBe(true);
    for (const command of commands) {
      if (command.op !== 'apply') continue;
      const applied = { faultId: command.faultId, target: command.target, detail: '+50 ms' };
      expect((await answer(command.seq, [{ ...applied, outcome: 'applied' }])).status).toBe(204);
    }

    const reconciled = server.agents.hub.send(agentId, { op: 'reconcile', keep: [] });
    expect(await until(() => commands.some((c) => c.op === 'reconcile' && c.seq > 1))).toBe(true);
    const reconcile = commands.findLast((c) => c.op === 'reconcile')!;
    const removed = ['agent-shop-1', 'agent-shop-2'].map((target) => ({
      faultId: `${experiment.id}/${target}`,
      target,
      outcome: 'removed' as const,
      detail: 'fault proxy: forwarding only',
    }));
    const summary = { faultId: 'reconcile', target: 'unknown', outcome: 'removed' as const };
    await answer(reconcile.seq, [...removed, { ...summary, detail: 'reconciled: 2 removed' }]);
    await reconciled;

    const audit = await server.call(
      'GET',
      `/api/v1/audit?experimentId=${experiment.id}&action=agent.fault.removed`,
      { as: 'ada-admin' },
    );
    const rows = (audit.json() as { entries: { after: { target: string } }[] }).entries;
    expect(rows.map((row) => row.after.target).sort()).toEqual(['agent-shop-1', 'agent-shop-2']);
  });
});
