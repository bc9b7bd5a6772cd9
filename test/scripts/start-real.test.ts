import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { childPids, eventually, isRunning } from '../agent/helpers';
import { freePort, prometheusInstalled } from '../mock-server/real-prometheus';

const root = path.resolve(import.meta.dirname, '../..');
const hasPrometheus = prometheusInstalled('start:real tests');
const leftovers: number[] = [];
const folders: string[] = [];

afterEach(() => {
  // Whatever a failed test left running, by the pids it saw.
  for (const pid of leftovers.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

/** Every descendant of `pid`, from /proc. */
function descendants(pid: number): number[] {
  const children = childPids(pid);
  return [...children, ...children.flatMap(descendants)];
}

interface RealRun {
  npm: ChildProcess;
  dataDir: string;
  lines: string[];
  /** Every process under `npm run start:real` once it said it was running. */
  pids: number[];
}

/** `npm run start:real` in a process group of its own, as a terminal runs it, until it is up. */
async function startReal(env: Record<string, string> = {}): Promise<RealRun> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'faultline-real-'));
  folders.push(dataDir);
  const npm = spawn('npm', ['run', 'start:real'], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PORT: String(await freePort()),
      FAULTLINE_DATA: dataDir,
      START_REAL_API_ONLY: '1',
      SHOP_INSTANCES: '2',
      SHOP_TRAFFIC_RATE: '10',
      ...env,
    },
  });
  leftovers.push(npm.pid ?? -1);
  const lines: string[] = [];
  for (const stream of [npm.stdout, npm.stderr])
    if (stream) createInterface({ input: stream }).on('line', (line) => lines.push(line));
  const up = await eventually(
    () => lines.some((line) => line.includes('Press Ctrl-C to stop everything.')),
    240_000,
  );
  if (!up) throw new Error(`start:real did not come up:\n${lines.slice(-30).join('\n')}`);
  const pids = descendants(npm.pid ?? -1);
  leftovers.push(...pids);
  return { npm, dataDir, lines, pids };
}

/** Waits until none of `pids` runs; fails naming the ones still running. */
async function allGone(pids: number[]): Promise<void> {
  await eventually(() => pids.every((pid) => !isRunning(pid)), 20_000);
  const left = pids.filter(isRunning).map((pid) => `${pid} ${cmdline(pid)}`);
  expect(left, 'processes still running').toEqual([]);
}

/** The process running `what`, among `pids` (not the shell that relays a signal to it). */
function find(run: RealRun, what: string): number[] {
  return run.pids.filter((pid) => cmdline(pid).includes(what) && !cmdline(pid).startsWith('sh '));
}

async function prometheusHas(url: string, query: string): Promise<boolean> {
  const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(query)}`);
  const body = (await response.json()) as { data: { result: unknown[] } };
  return body.data.result.length > 0;
}

/** Ctrl-C, as a terminal sends it to the foreground process group; then nothing may be left. */
async function interrupt(run: RealRun): Promise<void> {
  const exited = new Promise<number | null>((resolve) => run.npm.once('exit', resolve));
  process.kill(-(run.npm.pid ?? 0), 'SIGINT');
  await exited;
  await allGone(run.pids);
}

async function eventuallyAsync(check: () => Promise<boolean>, limitMs: number): Promise<boolean> {
  const until = Date.now() + limitMs;
  for (;;) {
    if (await check().catch(() => false)) return true;
    if (Date.now() > until) return false;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe.skipIf(!hasPrometheus)('npm run start:real', () => {
  it('starts Prometheus, Faultline, the shops, the agent and traffic, and Ctrl-C stops every one', async () => {
    const run = await startReal();
    // What it started, as processes.
    expect(find(run, '/usr/bin/prometheus')).toHaveLength(1);
    expect(find(run, 'mock-server/index.ts')).toHaveLength(1);
    expect(find(run, 'examples/shop/index.ts')).toHaveLength(2);
    expect(find(run, 'agent/index.ts')).toHaveLength(1);
    expect(find(run, 'agent/proxy-process.ts')).toHaveLength(2);
    expect(find(run, 'examples/shop/run-traffic.ts')).toHaveLength(1);

    // And that they are wired: Prometheus scrapes the shops' labelled series and Faultline's.
    const running = JSON.parse(
      readFileSync(path.join(run.dataDir, 'real', 'running.json'), 'utf8'),
    ) as { prometheus: string; faultline: string };
    expect(
      await eventuallyAsync(
        () =>
          prometheusHas(
            running.prometheus,
            'http_requests_total{instance="shop-2",service="checkout",environment="staging"}',
          ),
        30_000,
      ),
    ).toBe(true);
    // Each job has its own first scrape: the shop's having landed says nothing of Faultline's.
    expect(
      await eventuallyAsync(
        () => prometheusHas(running.prometheus, 'up{job="faultline"} == 1'),
        30_000,
      ),
    ).toBe(true);
    const session = await fetch(`${running.faultline}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'vic-viewer' }),
    });
    const { token } = (await session.json()) as { token: string };
    const agents = await fetch(`${running.faultline}/api/v1/fleet`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const fleet = (await agents.json()) as { instances: { id: string; environment: string }[] };
    expect(fleet.instances.filter((i) => i.id.startsWith('shop-')).map((i) => i.id)).toEqual(
      expect.arrayContaining(['shop-1', 'shop-2']),
    );

    await interrupt(run);
    expect(run.lines.join('\n')).toContain('everything it started has stopped');
    expect(existsSync(path.join(run.dataDir, 'real', 'running.json'))).toBe(false);
  }, 300_000);

  it('with SHOP_CANARY=1 sends the canary nothing until a rollout does, then its weight', async () => {
    const run = await startReal({ SHOP_CANARY: '1' });
    const [traffic] = find(run, 'examples/shop/run-traffic.ts');
    expect(cmdline(traffic ?? -1)).toMatch(
      /--canary-target=http:\/\/127\.0\.0\.1:\d+ --weights-from=/,
    );
    expect(run.lines.join('\n')).toContain("its share of the traffic follows the rollout's weight");
    const running = JSON.parse(
      readFileSync(path.join(run.dataDir, 'real', 'running.json'), 'utf8'),
    ) as { prometheus: string; faultline: string };
    // The stable shops serve (and are scraped) while the canary has not served one request.
    expect(
      await eventuallyAsync(
        () => prometheusHas(running.prometheus, 'http_requests_total{instance="shop-2"} > 20'),
        30_000,
      ),
    ).toBe(true);
    expect(
      await prometheusHas(running.prometheus, 'http_requests_total{instance="shop-canary"}'),
    ).toBe(false);

    const session = await fetch(`${running.faultline}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'dev-dana' }),
    });
    const { token } = (await session.json()) as { token: string };
    const created = await fetch(`${running.faultline}/api/v1/rollouts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        kind: 'canary',
        name: 'Checkout canary build',
        service: 'checkout',
        environment: 'staging',
        newVersion: 'canary',
        // Held at 50 % until a person acts, and never judged: only the routing is under test.
        steps: [
          { weight: 50, waitSeconds: null },
          { weight: 100, waitSeconds: 0 },
        ],
        analysis: {
          metrics: ['http_5xx_rate'],
          minSamples: 10_000,
          confidence: 0.95,
          tolerance: 0.25,
        },
      }),
    });
    expect(created.status).toBe(201);
    expect(
      await eventuallyAsync(
        () =>
          prometheusHas(
            running.prometheus,
            'sum(http_requests_total{instance="shop-canary"}) > 10',
          ),
        30_000,
      ),
    ).toBe(true);
    expect(run.lines).toContain('traffic: 50 % of checkout in staging to the canary');

    await interrupt(run);
  }, 300_000);

  it('leaves nothing running when it is killed with -9', async () => {
    const run = await startReal();
    const faultline = find(run, 'mock-server/index.ts')[0] ?? -1;
    // The process that started everything is Faultline's parent (field 4 of /proc/pid/stat).
    const stat = readFileSync(`/proc/${faultline}/stat`, 'utf8');
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    expect(cmdline(parent)).toContain('scripts/start-real.ts');
    const started = descendants(parent);
    expect(started.length).toBeGreaterThanOrEqual(8);
    process.kill(parent, 'SIGKILL');
    // setpriv --pdeathsig: the kernel tells each child its parent died; each stops.
    await allGone(started);
  }, 300_000);
});
