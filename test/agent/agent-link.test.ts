import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentFault, AgentView } from '../../src/domain/agents';
import { buildApp } from '../../mock-server/app';
import {
  childPids,
  eventually,
  get,
  isRunning,
  listeningPorts,
  processState,
  startUpstream,
} from './helpers';

const agentEntry = fileURLToPath(new URL('../../agent/index.ts', import.meta.url));
const serverEntry = fileURLToPath(new URL('../../mock-server/index.ts', import.meta.url));
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A demo user's bearer token. */
async function signIn(base: string, user: string): Promise<string> {
  const session = await fetch(`${base}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user }),
  });
  return ((await session.json()) as { token: string }).token;
}

async function startServer() {
  const folder = mkdtempSync(path.join(tmpdir(), 'faultline-agent-link-'));
  cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
  const faultline = await buildApp({ database: path.join(folder, 'faultline.sqlite') });
  await faultline.app.listen({ host: '127.0.0.1', port: 0 });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await faultline.app.close();
  };
  cleanups.push(close);
  const base = `http://127.0.0.1:${(faultline.app.server.address() as AddressInfo).port}`;
  const admin = await signIn(base, 'ada-admin');
  return { faultline, base, admin, folder, close };
}

async function api(base: string, token: string, method: string, url: string, body?: unknown) {
  const response = await fetch(`${base}${url}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json().catch(() => null)) as never };
}

async function until<T>(check: () => Promise<T | null>, limitMs: number): Promise<T | null> {
  const end = Date.now() + limitMs;
  for (;;) {
    const value = await check();
    if (value !== null) return value;
    if (Date.now() > end) return null;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function startAgent(
  base: string,
  token: string,
  upstreamPort: number,
  folder: string,
  labels: Record<string, string> = { zone: 'local' },
  fixedProxyPort?: number,
) {
  const sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
  cleanups.push(() => sleeper.kill('SIGKILL'));
  const proxyPort = fixedProxyPort ?? (await freePort());
  const config = path.join(folder, 'targets.json');
  writeFileSync(
    config,
    JSON.stringify({
      targets: [
        {
          name: 'shop-test-1',
          service: 'checkout',
          environment: 'staging',
          labels,
          process: { pid: sleeper.pid },
          http: { port: upstreamPort, proxyPort },
        },
      ],
    }),
  );
  const agent: ChildProcess = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      agentEntry,
      '--server',
      base,
      '--config',
      config,
      '--heartbeat-timeout-ms',
      '1000',
      '--stress-workers',
      '1',
    ],
    { env: { ...process.env, FAULTLINE_AGENT_TOKEN: token }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  agent.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  agent.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  cleanups.push(async () => {
    if (agent.exitCode !== null || agent.signalCode !== null) return;
    // SIGTERM: the agent removes its faults and ends its fault proxies, which would otherwise
    // outlive it on purpose. SIGKILL only if it does not stop.
    const exited = once(agent, 'exit');
    agent.kill('SIGTERM');
    const stopped = await Promise.race([
      exited.then(() => true),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), 5_000)),
    ]);
    if (!stopped) agent.kill('SIGKILL');
  });
  return { agent, proxyPort, sleeper, output: () => output };
}

/** An agent token an admin creates through the API; the token itself is only in this answer. */
async function createAgentToken(base: string, admin: string, name = 'laptop'): Promise<string> {
  const created = await api(base, admin, 'POST', '/api/v1/agent-tokens', { name });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return (created.body as { token: string }).token;
}

/** The first online agent as GET /api/v1/agents lists it, once there is one (30 s at most). */
async function onlineAgent(base: string, admin: string, output: () => string): Promise<AgentView> {
  const online = await until(async () => {
    const { body } = await api(base, admin, 'GET', '/api/v1/agents');
    return (body as { agents: AgentView[] }).agents.find((agent) => agent.online) ?? null;
  }, 30_000);
  expect(online, output()).not.toBeNull();
  return online!;
}

async function errorShare(port: number, requests: number): Promise<number> {
  let errors = 0;
  for (let i = 0; i < requests; i += 1) if ((await get(port)) === 500) errors += 1;
  return (errors / requests) * 100;
}

/** Errors on every host in zone a of checkout in staging, 20 % for 2 s, then 100 %. */
function errorSpec() {
  return {
    name: 'Errors on zone a',
    hypothesis: 'Checkout keeps answering while zone a fails a share of requests.',
    environment: 'staging',
    service: 'checkout',
    blastRadius: { scope: 'hosts', selector: { zone: 'a' }, mode: 'all' },
    attack: { type: 'error' },
    steps: [
      { magnitude: 20, durationSeconds: 2 },
      { magnitude: 100, durationSeconds: 600 },
    ],
    abortConditions: [
      {
        kind: 'threshold',
        metric: 'latency_p99',
        comparator: '>',
        threshold: 600_000,
        windowSeconds: 10,
        scope: 'target',
      },
    ],
  };
}

/** `npm start`'s server in a process of its own, API only, on a fixed port and data folder. */
async function startServerProcess(port: number, dataDir: string) {
  const server = spawn(process.execPath, ['--import', 'tsx', serverEntry], {
    env: { ...process.env, PORT: String(port), FAULTLINE_DATA: dataDir, HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  cleanups.push(() => {
    if (server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
  });
  const base = `http://127.0.0.1:${port}`;
  const ready = await until(
    async () => ((await fetch(`${base}/healthz`).catch(() => null))?.ok ? true : null),
    30_000,
  );
  expect(ready).toBe(true);
  const admin = await signIn(base, 'ada-admin');
  return { server, base, admin };
}

describe('the agent and the server', () => {
  it('gets its fault again when it restarts while the experiment still runs', async () => {
    const { faultline, base, admin, folder } = await startServer();
    const upstream = await startUpstream();
    cleanups.push(() => upstream.close());
    const token = await createAgentToken(base, admin);
    const first = await startAgent(base, token, upstream.port, folder, { zone: 'a' });
    await onlineAgent(base, admin, first.output);
    const spec = { ...errorSpec(), steps: [{ magnitude: 100, durationSeconds: 600 }] };
    const created = (await api(base, admin, 'POST', '/api/v1/experiments', spec)).body as {
      id: string;
      version: number;
    };
    await api(base, admin, 'POST', `/api/v1/experiments/${created.id}/start`, {
      version: created.version,
    });
    expect(
      await until(
        async () => ((await errorShare(first.proxyPort, 5)) === 100 ? true : null),
        15_000,
      ),
      first.output(),
    ).toBe(true);
    const orphan = childPids(first.agent.pid!).filter((pid) => pid > 0);
    cleanups.push(() => orphan.forEach((pid) => isRunning(pid) && process.kill(pid, 'SIGKILL')));

    first.agent.kill('SIGKILL');
    await once(first.agent, 'exit');
    // Its proxy outlives it without faults; the restarted agent takes the port over.
    expect(await errorShare(first.proxyPort, 5)).toBe(0);
    const second = await startAgent(
      base,
      token,
      upstream.port,
      folder,
      { zone: 'a' },
      first.proxyPort,
    );
    const back = await until(async () => {
      const agent = faultline.agents.hub.list().find((a) => a.online && a.faults.length > 0);
      return agent ?? null;
    }, 30_000);
    expect(back, second.output()).not.toBeNull();
    expect(back!.faults).toMatchObject([
      { faultId: `${created.id}/shop-test-1`, outcome: 'applied' },
    ]);
    expect(await errorShare(second.proxyPort, 10)).toBe(100);
    expect(orphan.some((pid) => isRunning(pid))).toBe(false);

    await api(base, admin, 'POST', `/api/v1/experiments/${created.id}/halt`, {});
    expect(
      await until(
        async () => ((await errorShare(second.proxyPort, 10)) === 0 ? true : null),
        5_000,
      ),
    ).toBe(true);
  });

  it('stops cleanly on a signal during start-up and on a second signal while it cleans up', async () => {
    const { faultline, base, admin, folder } = await startServer();
    const upstream = await startUpstream();
    cleanups.push(() => upstream.close());
    const token = await createAgentToken(base, admin);

    // SIGTERM the moment its fault proxy exists, before the agent has finished starting.
    const early = await startAgent(base, token, upstream.port, folder);
    expect(await eventually(() => childPids(early.agent.pid!).length > 0, 20_000)).toBe(true);
    const earlyProxy = childPids(early.agent.pid!);
    cleanups.push(() =>
      earlyProxy.forEach((pid) => isRunning(pid) && process.kill(pid, 'SIGKILL')),
    );
    const earlyExit = once(early.agent, 'exit');
    early.agent.kill('SIGTERM');
    expect(await earlyExit, early.output()).toEqual([0, null]);
    expect(earlyProxy.some((pid) => isRunning(pid))).toBe(false);
    expect(await get(early.proxyPort)).toBe('dropped');

    // Two SIGTERMs at once while it holds a stress-ng and a proxy fault.
    const late = await startAgent(base, token, upstream.port, folder);
    const online = await onlineAgent(base, admin, late.output);
    const cpu = await faultline.agents.hub.send(online.id, {
      op: 'apply',
      faultId: 'exp-9/cpu',
      target: 'shop-test-1',
      fault: { type: 'cpu', percent: 30 },
    });
    expect(cpu).toMatchObject({ outcome: 'applied' });
    await faultline.agents.hub.send(online.id, {
      op: 'apply',
      faultId: 'exp-9/err',
      target: 'shop-test-1',
      fault: { type: 'error', percent: 100, status: 500 },
    });
    const stressPid = Number(/stress-ng pid (\d+)/.exec(cpu.detail)?.[1]);
    expect(isRunning(stressPid)).toBe(true);
    const lateChildren = childPids(late.agent.pid!);
    cleanups.push(() =>
      lateChildren.forEach((pid) => isRunning(pid) && process.kill(pid, 'SIGKILL')),
    );
    const lateExit = once(late.agent, 'exit');
    late.agent.kill('SIGTERM');
    late.agent.kill('SIGTERM');
    expect(await lateExit, late.output()).toEqual([0, null]);
    expect(isRunning(stressPid)).toBe(false);
    expect(lateChildren.some((pid) => isRunning(pid))).toBe(false);
    expect(await get(late.proxyPort)).toBe('dropped');
  });

  it('leaves no stress-ng, no stopped process and no injecting proxy behind the agent killed with -9', async () => {
    const { faultline, base, admin, folder } = await startServer();
    const upstream = await startUpstream();
    cleanups.push(() => upstream.close());
    const token = await createAgentToken(base, admin);
    const { agent, proxyPort, sleeper, output } = await startAgent(
      base,
      token,
      upstream.port,
      folder,
    );
    const online = await onlineAgent(base, admin, output);
    const send = (faultId: string, fault: AgentFault) =>
      faultline.agents.hub.send(online.id, { op: 'apply', faultId, target: 'shop-test-1', fault });
    const cpu = await send('exp-4/cpu', { type: 'cpu', percent: 30 });
    expect(cpu, output()).toMatchObject({ outcome: 'applied' });
    expect(await send('exp-4/err', { type: 'error', percent: 100, status: 500 })).toMatchObject({
      outcome: 'applied',
    });
    expect(await send('exp-4/stop', { type: 'shutdown' })).toMatchObject({ outcome: 'applied' });
    const stressPid = Number(/stress-ng pid (\d+)/.exec(cpu.detail)?.[1]);
    const stressWorkers = childPids(stressPid);
    expect(stressWorkers.length).toBeGreaterThan(0);
    cleanups.push(() =>
      [stressPid, ...stressWorkers].forEach(
        (pid) => isRunning(pid) && process.kill(pid, 'SIGKILL'),
      ),
    );
    expect(await eventually(() => processState(sleeper.pid!) === 'T', 2_000)).toBe(true);
    expect(await get(proxyPort)).toBe(500);
    // The fault proxy outlives its agent on purpose; ended here once the test is done.
    const proxies = childPids(agent.pid!).filter((pid) => pid !== stressPid);
    cleanups.push(() => proxies.forEach((pid) => isRunning(pid) && process.kill(pid, 'SIGKILL')));

    agent.kill('SIGKILL');
    await once(agent, 'exit');
    // Within the heartbeat timeout (1 s here): stress-ng and its workers gone, the process
    // running again, and the proxy forwarding without faults.
    expect(await eventually(() => ![stressPid, ...stressWorkers].some(isRunning), 1_000)).toBe(
      true,
    );
    expect(await eventually(() => processState(sleeper.pid!) !== 'T', 1_000)).toBe(true);
    expect(await errorShare(proxyPort, 20)).toBe(0);
  });

  it('leaves no fault behind a server killed with -9 mid-experiment, and the restarted server calls the run interrupted', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'faultline-agent-kill-'));
    cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
    const port = await freePort();
    const first = await startServerProcess(port, path.join(folder, 'data'));
    const upstream = await startUpstream();
    cleanups.push(() => upstream.close());
    const token = await createAgentToken(first.base, first.admin);
    const { proxyPort, output } = await startAgent(first.base, token, upstream.port, folder, {
      zone: 'a',
    });
    await onlineAgent(first.base, first.admin, output);
    const created = await api(first.base, first.admin, 'POST', '/api/v1/experiments', errorSpec());
    const experiment = created.body as { id: string; version: number };
    const started = await api(
      first.base,
      first.admin,
      'POST',
      `/api/v1/experiments/${experiment.id}/start`,
      { version: experiment.version },
    );
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    const injecting = await until(
      async () => ((await errorShare(proxyPort, 5)) === 100 ? true : null),
      30_000,
    );
    expect(injecting, output()).toBe(true);

    first.server.kill('SIGKILL');
    await once(first.server, 'exit');
    // Heartbeat timeout 1 s: nothing may be injected 2 s after the server went silent.
    const healed = await until(
      async () => ((await errorShare(proxyPort, 5)) === 0 ? true : null),
      2_000,
    );
    expect(healed, output()).toBe(true);

    const second = await startServerProcess(port, path.join(folder, 'data'));
    const after = await api(
      second.base,
      second.admin,
      'GET',
      `/api/v1/experiments/${experiment.id}`,
    );
    expect(after.body).toMatchObject({ state: 'interrupted' });
    // The agent comes back to the restarted server and holds nothing it was not asked for.
    const back = await onlineAgent(second.base, second.admin, output);
    expect(back.faults).toEqual([]);
    expect(await errorShare(proxyPort, 10)).toBe(0);
  });

  it("puts an experiment's fault on agent targets beside simulated ones, ramps it in place, and halt removes it", async () => {
    const { faultline, base, admin, folder } = await startServer();
    const upstream = await startUpstream();
    cleanups.push(() => upstream.close());
    const token = await createAgentToken(base, admin);
    const { proxyPort, output } = await startAgent(base, token, upstream.port, folder, {
      zone: 'a',
    });
    await onlineAgent(base, admin, output);
    const fleet = await api(base, admin, 'GET', '/api/v1/fleet');
    expect(JSON.stringify(fleet.body)).toContain('"id":"shop-test-1"');

    const spec = errorSpec();
    const created = await api(base, admin, 'POST', '/api/v1/experiments', spec);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const experiment = created.body as { id: string; version: number };
    const started = await api(base, admin, 'POST', `/api/v1/experiments/${experiment.id}/start`, {
      version: experiment.version,
    });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    const targets = (started.body as { run: { targets: string[] } }).run.targets;
    expect(targets).toContain('shop-test-1');
    expect(targets.length).toBeGreaterThan(1);

    // Step 1 (20 %), then in place to step 2 (100 %): the proxy answers every request 500.
    const ramped = await until(
      async () => ((await errorShare(proxyPort, 5)) === 100 ? true : null),
      30_000,
    );
    expect(ramped, output()).toBe(true);
    const held = faultline.agents.hub.list()[0]!.faults;
    expect(held).toMatchObject([{ faultId: `${experiment.id}/shop-test-1`, outcome: 'changed' }]);
    expect(held[0]!.detail).toContain('100 % answered 500');

    const halted = await api(base, admin, 'POST', `/api/v1/experiments/${experiment.id}/halt`, {});
    expect(halted.status, JSON.stringify(halted.body)).toBe(200);
    const gone = await until(
      async () => ((await errorShare(proxyPort, 10)) === 0 ? true : null),
      5_000,
    );
    expect(gone, output()).toBe(true);
    expect(faultline.agents.hub.list()[0]!.faults).toEqual([]);

    // What the agent actually did is on the experiment's record, in its words.
    const record = await until(async () => {
      const audit = await api(
        base,
        admin,
        'GET',
        `/api/v1/audit?experimentId=${experiment.id}&action=agent.fault`,
      );
      const rows = (audit.body as { entries: { action: string; actor: string; after: unknown }[] })
        .entries;
      return rows.some((row) => row.action === 'agent.fault.removed') ? rows.reverse() : null;
    }, 5_000);
    expect(record?.map((row) => [row.action, row.actor])).toEqual([
      ['agent.fault.applied', 'agent laptop'],
      ['agent.fault.changed', 'agent laptop'],
      ['agent.fault.removed', 'agent laptop'],
    ]);
    expect(record?.map((row) => row.after)).toMatchObject([
      { target: 'shop-test-1', detail: expect.stringContaining('20 % answered 500') },
      { target: 'shop-test-1', detail: expect.stringContaining('100 % answered 500') },
      { target: 'shop-test-1', detail: expect.stringContaining('forwarding only') },
    ]);

    // Halt all reaches agent faults on the same path: every one, errors and a stress-ng at once.
    for (const spec of [
      errorSpec(),
      {
        ...errorSpec(),
        name: 'CPU on zone a',
        attack: { type: 'cpu' },
        steps: [{ magnitude: 30, durationSeconds: 600 }],
      },
    ]) {
      const made = (await api(base, admin, 'POST', '/api/v1/experiments', spec)).body as {
        id: string;
        version: number;
      };
      const run = await api(base, admin, 'POST', `/api/v1/experiments/${made.id}/start`, {
        version: made.version,
      });
      expect(run.status, JSON.stringify(run.body)).toBe(200);
    }
    const both = await until(async () => {
      const faults = faultline.agents.hub.list()[0]!.faults;
      const cpu = faults.find((fault) => fault.detail.startsWith('stress-ng pid'));
      return faults.length === 2 && cpu && (await errorShare(proxyPort, 5)) > 0 ? cpu : null;
    }, 15_000);
    expect(both, output()).not.toBeNull();
    const stressPid = Number(/stress-ng pid (\d+)/.exec(both!.detail)?.[1]);
    expect(isRunning(stressPid)).toBe(true);
    const haltAll = await api(base, admin, 'POST', '/api/v1/halt-all', {});
    expect(haltAll.status, JSON.stringify(haltAll.body)).toBe(200);
    expect(
      await until(async () => ((await errorShare(proxyPort, 10)) === 0 ? true : null), 5_000),
    ).toBe(true);
    expect(await eventually(() => !isRunning(stressPid), 5_000)).toBe(true);
    expect(await eventually(() => faultline.agents.hub.list()[0]!.faults.length === 0, 5_000)).toBe(
      true,
    );
  });

  it('connects with a token an admin created, shows its targets, and applies what the server asks', async () => {
    const { faultline, base, admin, folder } = await startServer();
    const upstream = await startUpstream();
    cleanups.push(() => upstream.close());
    const created = await api(base, admin, 'POST', '/api/v1/agent-tokens', { name: 'laptop' });
    expect(created.status).toBe(201);
    const token = (created.body as { token: string }).token;
    expect(token).toMatch(/^fla_/);
    // Shown once: the list never carries it.
    const listed = await api(base, admin, 'GET', '/api/v1/agent-tokens');
    expect(JSON.stringify(listed.body)).not.toContain(token);

    const { agent, proxyPort, output } = await startAgent(base, token, upstream.port, folder);
    const online = await onlineAgent(base, admin, output);
    expect(online.targets).toMatchObject([
      { name: 'shop-test-1', service: 'checkout', environment: 'staging', http: true },
    ]);
    // It connected out: the agent listens on no port; only its fault proxy, on the one given.
    expect(listeningPorts(agent.pid!)).toEqual([]);
    expect(childPids(agent.pid!).flatMap(listeningPorts)).toEqual([proxyPort]);
    expect(faultline.agents.hub.instances()).toMatchObject([
      { id: 'shop-test-1', labels: { zone: 'local', agent: online.host } },
    ]);

    // Its heartbeat: Faultline exports its stress CPU per target, labelled as the target.
    const exported = await until(async () => {
      const text = await (await fetch(`${base}/metrics`)).text();
      return text.includes(
        'faultline_agent_stress_cpu_seconds_total{instance="shop-test-1",service="checkout",environment="staging"} 0',
      )
        ? true
        : null;
    }, 10_000);
    expect(exported).toBe(true);
    expect(faultline.agents.hub.list()[0]!.lastSeenAt).toBeGreaterThan(online.connectedAt);

    expect(await get(proxyPort)).toBe(200);
    const applied = await faultline.agents.hub.send(online.id, {
      op: 'apply',
      faultId: 'exp-1:shop-test-1',
      target: 'shop-test-1',
      fault: { type: 'error', percent: 100, status: 503 },
    });
    expect(applied).toMatchObject({ outcome: 'applied' });
    expect(applied.detail).toContain('100 % answered 503');
    expect(await get(proxyPort)).toBe(503);

    const removed = await faultline.agents.hub.send(online.id, {
      op: 'remove',
      faultId: 'exp-1:shop-test-1',
    });
    expect(removed).toMatchObject({ outcome: 'removed' });
    expect(await get(proxyPort)).toBe(200);

    // A fault it cannot read (a newer server's) is refused with why, not left to time out.
    const unreadable = {
      op: 'apply',
      faultId: 'exp-1:netem',
      target: 'shop-test-1',
      fault: { type: 'packet-loss', percent: 10 },
    } as unknown as Parameters<typeof faultline.agents.hub.send>[1];
    const refused = await faultline.agents.hub.send(online.id, unreadable);
    expect(refused).toMatchObject({ faultId: 'exp-1:netem', outcome: 'refused' });
    expect(refused.detail).toContain('cannot read the apply command (fault.type');
    expect(await get(proxyPort)).toBe(200);
  });

  it('removes every fault by itself within twice the heartbeat timeout once the server is gone', async () => {
    const { faultline, base, admin, folder, close } = await startServer();
    const upstream = await startUpstream();
    cleanups.push(() => upstream.close());
    const token = await createAgentToken(base, admin);
    const { proxyPort, output } = await startAgent(base, token, upstream.port, folder);
    const { id: agentId } = await onlineAgent(base, admin, output);
    await faultline.agents.hub.send(agentId, {
      op: 'apply',
      faultId: 'exp-2:shop-test-1',
      target: 'shop-test-1',
      fault: { type: 'error', percent: 100, status: 500 },
    });
    expect(await get(proxyPort)).toBe(500);

    await close();
    // Heartbeat timeout 1 s: the fault must be gone within 2 s of the last word from the server.
    const healed = await until(async () => ((await get(proxyPort)) === 200 ? true : null), 2_000);
    expect(healed, output()).toBe(true);
    expect(output()).toContain('removed 1 fault(s)');
  });

  it('refuses a wrong and a revoked agent token, and writes each refusal to the audit log', async () => {
    const { base, admin } = await startServer();
    const wrong = await api(
      base,
      'fla_not-a-real-token-at-all',
      'POST',
      '/api/v1/agents/connect',
      {},
    );
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ error: { code: 'unauthenticated' } });

    const created = await api(base, admin, 'POST', '/api/v1/agent-tokens', { name: 'old host' });
    const { id, token } = created.body as { id: string; token: string };
    expect((await api(base, admin, 'DELETE', `/api/v1/agent-tokens/${id}`)).status).toBe(200);
    const revoked = await api(base, token, 'POST', '/api/v1/agents/connect', {});
    expect(revoked.status).toBe(401);

    const audit = await api(base, admin, 'GET', '/api/v1/audit?action=agent.refused');
    const rows = (audit.body as { entries: { action: string; after: unknown }[] }).entries;
    expect(rows.filter((row) => row.action === 'agent.refused')).toHaveLength(2);
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it('cuts off a connected agent whose token is revoked: its fault goes, and its reconnects are refused and audited', async () => {
    const { faultline, base, admin, folder } = await startServer();
    const upstream = await startUpstream();
    cleanups.push(() => upstream.close());
    const created = await api(base, admin, 'POST', '/api/v1/agent-tokens', { name: 'laptop' });
    const { id, token } = created.body as { id: string; token: string };
    const { proxyPort, output } = await startAgent(base, token, upstream.port, folder);
    const online = await onlineAgent(base, admin, output);
    await faultline.agents.hub.send(online.id, {
      op: 'apply',
      faultId: 'exp-3:shop-test-1',
      target: 'shop-test-1',
      fault: { type: 'error', percent: 100, status: 500 },
    });
    expect(await get(proxyPort)).toBe(500);

    expect((await api(base, admin, 'DELETE', `/api/v1/agent-tokens/${id}`)).status).toBe(200);
    // Cut off at once: gone from the agents and from the fleet.
    expect(faultline.agents.hub.list()).toEqual([]);
    expect(faultline.agents.hub.instances()).toEqual([]);
    // Heartbeat timeout 1 s: its lease removes the fault within 2 s.
    const healed = await until(async () => ((await get(proxyPort)) === 200 ? true : null), 2_000);
    expect(healed, output()).toBe(true);

    // It keeps trying to connect; each try is refused with 401 and written to the audit log.
    const refused = await until(async () => {
      const audit = await api(base, admin, 'GET', '/api/v1/audit?action=agent.refused');
      const rows = (audit.body as { entries: unknown[] }).entries;
      return rows.length > 0 && output().includes('the server refused the agent: 401')
        ? rows
        : null;
    }, 10_000);
    expect(refused, output()).not.toBeNull();
    expect(JSON.stringify(refused)).toContain('wrong or revoked agent token');
    expect(JSON.stringify(refused)).not.toContain(token);
    expect(faultline.agents.hub.list()).toEqual([]);
  });

  it('lets only an admin create or revoke agent tokens, and names a missing field', async () => {
    const { base, admin } = await startServer();
    const sre = await signIn(base, 'sam-sre');
    expect((await api(base, sre, 'POST', '/api/v1/agent-tokens', { name: 'x' })).status).toBe(403);
    const made = await api(base, admin, 'POST', '/api/v1/agent-tokens', { name: 'x' });
    const id = (made.body as { id: string }).id;
    expect((await api(base, sre, 'DELETE', `/api/v1/agent-tokens/${id}`)).status).toBe(403);
    const missing = await api(base, admin, 'POST', '/api/v1/agent-tokens', {});
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body)).toContain('name');
    const tokens = await api(base, admin, 'GET', '/api/v1/agent-tokens');
    expect((tokens.body as { tokens: unknown[] }).tokens).toHaveLength(1);
  });
});
