import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AgentView } from '../src/domain/agents';
import { childPids, isRunning, startUpstream } from '../test/agent/helpers';
import { summarize, type BenchResult } from './bench-result';

export const name = 'agent faults';

/** Halts measured (each removes a proxy error fault and a stress-ng at once). */
const HALTS = 40;
/** Silences measured: each takes the heartbeat timeout and a reconnection. */
const SILENCES = 8;
/** The agent's default heartbeat timeout, in ms. */
const HEARTBEAT_TIMEOUT_MS = 2_000;
/** Halt → fault gone on the process, in ms (issue 11). */
const HALT_BUDGET_MS = 100;
const SILENCE_BUDGET_MS = 2 * HEARTBEAT_TIMEOUT_MS;

const agentEntry = fileURLToPath(new URL('../agent/index.ts', import.meta.url));
const serverEntry = fileURLToPath(new URL('../mock-server/index.ts', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const now = () => performance.timeOrigin + performance.now();

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Polls `check` until it answers non-null or `limitMs` passes (then null). */
async function until<T>(check: () => Promise<T | null> | T | null, limitMs: number, everyMs = 50) {
  const end = Date.now() + limitMs;
  for (;;) {
    const value = await check();
    if (value !== null) return value;
    if (Date.now() > end) return null;
    await sleep(everyMs);
  }
}

/** One JSON call on the server's API. */
async function api(base: string, token: string, method: string, url: string, body?: unknown) {
  const response = await fetch(`${base}${url}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer: unknown = await response.json().catch(() => null);
  if (!response.ok)
    throw new Error(`${method} ${url} answered ${response.status} ${JSON.stringify(answer)}`);
  return answer;
}

/** One GET through the fault proxy on a kept-alive connection: its status, 0 when dropped. */
const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });
function proxyStatus(port: number): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', agent: keepAlive }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.setTimeout(5_000, () => req.destroy());
  });
}

/**
 * When the proxy answers 200 again: the answer time of the first 200 to a request sent at or
 * after `from` (requests one after another, so the figure is late by one round trip at most).
 */
async function proxyCleanAt(port: number, from: number, limitMs: number): Promise<number> {
  while (now() - from < limitMs) {
    const sent = now();
    const status = await proxyStatus(port);
    if (status === 200 && sent >= from) return now();
  }
  throw new Error(`the fault proxy still injected ${limitMs} ms after ${from}`);
}

/** When none of `pids` runs any more, polled every millisecond. */
async function exitedAt(pids: number[], from: number, limitMs: number): Promise<number> {
  while (now() - from < limitMs) {
    if (!pids.some(isRunning)) return now();
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  throw new Error(`stress-ng (pids ${pids.join(', ')}) still ran ${limitMs} ms after ${from}`);
}

/** An experiment of `attack` on the one agent target labelled `bench: label`, for an hour. */
const spec = (attack: 'error' | 'cpu', label: string, magnitude: number) => ({
  name: `Agent bench ${attack}`,
  hypothesis: 'Checkout keeps answering.',
  environment: 'staging',
  service: 'checkout',
  blastRadius: { scope: 'hosts', selector: { bench: label }, mode: 'all' },
  attack: { type: attack },
  steps: [{ magnitude, durationSeconds: 3600 }],
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
});

interface Setup {
  base: string;
  admin: string;
  server: ChildProcess;
  agent: ChildProcess;
  proxyPort: number;
  output: () => string;
}

/** Starts both experiments and waits until the proxy injects and a stress-ng runs. */
async function injectBoth(setup: Setup): Promise<{ ids: string[]; stressPids: number[] }> {
  const { base, admin } = setup;
  const ids: string[] = [];
  for (const [attack, label, magnitude] of [
    ['error', 'http', 100],
    ['cpu', 'cpu', 20],
  ] as const) {
    const created = (await api(
      base,
      admin,
      'POST',
      '/api/v1/experiments',
      spec(attack, label, magnitude),
    )) as { id: string; version: number };
    await api(base, admin, 'POST', `/api/v1/experiments/${created.id}/start`, {
      version: created.version,
    });
    ids.push(created.id);
  }
  const injecting = await until(async () => {
    const { agents } = (await api(base, admin, 'GET', '/api/v1/agents')) as {
      agents: AgentView[];
    };
    const detail = agents.flatMap((a) => a.faults).find((f) => f.detail.includes('stress-ng pid'));
    const stressPid = Number(/stress-ng pid (\d+)/.exec(detail?.detail ?? '')?.[1]);
    if (!stressPid || !isRunning(stressPid)) return null;
    if ((await proxyStatus(setup.proxyPort)) !== 500) return null;
    return [stressPid, ...childPids(stressPid)];
  }, 20_000);
  if (!injecting) throw new Error(`the agent did not inject both faults\n${setup.output()}`);
  return { ids, stressPids: injecting };
}

/** Waits until the agent holds nothing and is online, after a run. */
async function clean(setup: Setup): Promise<void> {
  const done = await until(async () => {
    const { agents } = (await api(setup.base, setup.admin, 'GET', '/api/v1/agents')) as {
      agents: AgentView[];
    };
    const online = agents.find((a) => a.online);
    if (!online || online.faults.length > 0) return null;
    return (await proxyStatus(setup.proxyPort)) === 200 ? true : null;
  }, 30_000);
  if (!done) throw new Error(`the agent did not come back clean\n${setup.output()}`);
}

async function halts(setup: Setup) {
  const proxy: number[] = [];
  const stress: number[] = [];
  for (let run = 0; run < HALTS; run++) {
    const { ids, stressPids } = await injectBoth(setup);
    await sleep(200 + Math.random() * 300);
    const pressed = now();
    const answered = Promise.all(
      ids.map((id) => api(setup.base, setup.admin, 'POST', `/api/v1/experiments/${id}/halt`, {})),
    );
    const [proxyAt, stressAt] = await Promise.all([
      proxyCleanAt(setup.proxyPort, pressed, 5_000),
      exitedAt(stressPids, pressed, 5_000),
      answered,
    ]);
    proxy.push(proxyAt - pressed);
    stress.push(stressAt - pressed);
    await clean(setup);
  }
  return { proxy, stress };
}

/** The server stopped (SIGSTOP: its sockets stay open, it says nothing) with faults held. */
async function silences(setup: Setup) {
  const proxy: number[] = [];
  const stress: number[] = [];
  for (let run = 0; run < SILENCES; run++) {
    const { ids, stressPids } = await injectBoth(setup);
    await sleep(Math.random() * 1000);
    const silent = now();
    setup.server.kill('SIGSTOP');
    let proxyAt: number;
    let stressAt: number;
    try {
      [proxyAt, stressAt] = await Promise.all([
        proxyCleanAt(setup.proxyPort, silent, 3 * SILENCE_BUDGET_MS),
        exitedAt(stressPids, silent, 3 * SILENCE_BUDGET_MS),
      ]);
    } finally {
      setup.server.kill('SIGCONT');
    }
    proxy.push(proxyAt - silent);
    stress.push(stressAt - silent);
    for (const id of ids)
      await api(setup.base, setup.admin, 'POST', `/api/v1/experiments/${id}/halt`, {});
    await clean(setup);
  }
  return { proxy, stress };
}

/**
 * Issue 11's figures with the real agent (agent/index.ts, its own process, default 2 s heartbeat
 * timeout), its fault proxy and stress-ng, against `npm start`'s server in a process of its own:
 * halt → fault gone on the process, and server silent → every fault removed by the agent itself.
 */
export async function run(): Promise<BenchResult[]> {
  const folder = mkdtempSync(path.join(tmpdir(), 'faultline-agent-bench-'));
  const children: ChildProcess[] = [];
  const upstream = await startUpstream();
  try {
    const port = await freePort();
    const server = spawn(process.execPath, ['--import', 'tsx', serverEntry], {
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        FAULTLINE_DATA: path.join(folder, 'data'),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(server);
    const base = `http://127.0.0.1:${port}`;
    const ready = await until(
      async () => ((await fetch(`${base}/healthz`).catch(() => null))?.ok ? true : null),
      60_000,
      200,
    );
    if (!ready) throw new Error('the server did not start within 60 s');
    const session = (await (
      await fetch(`${base}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user: 'ada-admin' }),
      })
    ).json()) as { token: string };
    const admin = session.token;
    const { token } = (await api(base, admin, 'POST', '/api/v1/agent-tokens', {
      name: 'bench',
    })) as { token: string };

    const sleeper = spawn('sleep', ['3600'], { stdio: 'ignore' });
    children.push(sleeper);
    const proxyPort = await freePort();
    const config = path.join(folder, 'targets.json');
    const target = (name: string, label: string) => ({
      name,
      service: 'checkout',
      environment: 'staging',
      labels: { bench: label },
      process: { pid: sleeper.pid },
    });
    writeFileSync(
      config,
      JSON.stringify({
        targets: [
          { ...target('bench-http-1', 'http'), http: { port: upstream.port, proxyPort } },
          target('bench-cpu-1', 'cpu'),
        ],
      }),
    );
    let output = '';
    const agent = spawn(
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
        String(HEARTBEAT_TIMEOUT_MS),
        '--stress-workers',
        '1',
      ],
      { env: { ...process.env, FAULTLINE_AGENT_TOKEN: token }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.push(agent);
    agent.stdout.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
    agent.stderr.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
    const setup: Setup = { base, admin, server, agent, proxyPort, output: () => output };
    await clean(setup);

    const halted = await halts(setup);
    const silenced = await silences(setup);
    return [
      summarize(
        'halt → proxy no longer injects (next answer 200)',
        'ms',
        halted.proxy,
        HALT_BUDGET_MS,
      ),
      summarize('halt → stress-ng and its worker exited', 'ms', halted.stress, HALT_BUDGET_MS),
      summarize(
        `server silent (SIGSTOP) → proxy no longer injects (heartbeat timeout ${HEARTBEAT_TIMEOUT_MS} ms)`,
        'ms',
        silenced.proxy,
        SILENCE_BUDGET_MS,
      ),
      summarize(
        'server silent (SIGSTOP) → stress-ng exited',
        'ms',
        silenced.stress,
        SILENCE_BUDGET_MS,
      ),
    ];
  } finally {
    // The agent first, by SIGTERM, so it removes its faults and ends its proxy; then the rest.
    for (const child of children.reverse()) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const exited = once(child, 'exit');
      child.kill('SIGCONT');
      child.kill('SIGTERM');
      const stopped = await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)]);
      if (!stopped) child.kill('SIGKILL');
    }
    keepAlive.destroy();
    await upstream.close();
    rmSync(folder, { recursive: true, force: true });
  }
}
