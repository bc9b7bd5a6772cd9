import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { runTraffic } from '../../examples/shop/traffic';
import { parseBackendsConfig } from '../../mock-server/backends/backends-config';
import { buildApp, type FaultlineApp } from '../../mock-server/app';
import { systemClock } from '../../mock-server/clock';
import { Child, waitFor } from '../../scripts/real/children';
import { agentTargets, backendsConfig, type ShopInstance } from '../../scripts/real/setup-files';
import { freePort, startPrometheus, type RunningPrometheus } from '../mock-server/real-prometheus';

const root = path.resolve(import.meta.dirname, '../..');
const ENVIRONMENT = 'staging';

export interface RealSetup {
  /** Faultline, serving the dashboard built for this run. */
  url: string;
  faultline: FaultlineApp;
  prometheus: RunningPrometheus;
  /** The shop's instances (shop-1, …), each a process. */
  shops: Child[];
  /** A bearer token of ada-admin, for the API. */
  admin: string;
  /** Calls Faultline's API as ada-admin; throws with the answer when it is not 2xx. */
  api<T>(method: 'GET' | 'POST', route: string, body?: unknown): Promise<T>;
  /** One instant query of the real Prometheus: the first series' value, or null. */
  query(promql: string): Promise<number | null>;
  /** Ends everything it started, by handle, in order. */
  close(): Promise<void>;
}

async function until<T>(what: string, read: () => Promise<T | null>, limitMs: number) {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await read().catch(() => null);
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not after ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * The real setup of `npm run start:real`, with its own pieces (scripts/real/setup-files):
 * staging read from a real Prometheus scraping the sample shop's instances every second, one
 * Faultline agent whose targets they are (its fault proxies sit between each shop's edge and
 * app), and simulated users' traffic. Faultline runs in this process on the system clock and
 * serves the dashboard built for the run. Loopback only.
 */
export async function startRealSetup(instances = 3): Promise<RealSetup> {
  const cleanups: (() => Promise<void> | void)[] = [];
  const close = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  try {
    return await start(instances, cleanups, close);
  } catch (error) {
    await close();
    throw error;
  }
}

async function start(
  instances: number,
  cleanups: (() => Promise<void> | void)[],
  close: () => Promise<void>,
): Promise<RealSetup> {
  const dir = mkdtempSync(path.join(tmpdir(), 'faultline-real-e2e-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const shopPorts: ShopInstance[] = [];
  for (let i = 1; i <= instances; i++)
    shopPorts.push({
      name: `shop-${i}`,
      port: await freePort(),
      appPort: await freePort(),
      proxyPort: await freePort(),
    });

  const prometheus = await startPrometheus(
    [{ targets: shopPorts.map((shop) => `127.0.0.1:${shop.port}`) }],
    { honorLabels: true },
  );
  cleanups.push(() => prometheus.stop());

  const faultline = await buildApp({
    config: {
      dataDir: dir,
      host: '127.0.0.1',
      port: 0,
      tickMs: 1000,
      backends: parseBackendsConfig(backendsConfig(ENVIRONMENT, prometheus.url)),
      logLevel: 'warn',
    },
    database: path.join(dir, 'faultline.sqlite'),
    clock: systemClock,
    dashboardDir: inject('dashboardDir'),
  });
  const url = await faultline.app.listen({ port: 0, host: '127.0.0.1' });
  cleanups.push(() => faultline.app.close());

  const session = await fetch(`${url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: 'ada-admin' }),
  });
  const { token: admin } = (await session.json()) as { token: string };
  async function api<T>(method: 'GET' | 'POST', route: string, body?: unknown): Promise<T> {
    const response = await fetch(`${url}${route}`, {
      method,
      headers: {
        authorization: `Bearer ${admin}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${text}`);
    return JSON.parse(text) as T;
  }

  // The key is shown once, when it is made.
  const { key: flagsKey } = await api<{ key: string }>(
    'POST',
    `/api/v1/ofrep-keys/${ENVIRONMENT}/rotate`,
  );
  // Each shop in a process of its own, as start:real runs them: its CPU work and event loop
  // are its own, so one instance's load never shows in another's latency.
  const shops: Child[] = [];
  for (const ports of shopPorts) {
    const shop = Child.start({
      name: ports.name,
      command: process.execPath,
      args: [
        '--import',
        'tsx',
        path.join(root, 'examples/shop/index.ts'),
        `--name=${ports.name}`,
        `--port=${ports.port}`,
        `--app-port=${ports.appPort}`,
        `--upstream-port=${ports.proxyPort}`,
        `--environment=${ENVIRONMENT}`,
        `--faultline=${url}`,
      ],
      cwd: root,
      env: { ...process.env, FAULTLINE_FLAGS_KEY: flagsKey },
    });
    cleanups.push(() => shop.stop(5_000));
    shops.push(shop);
  }
  for (const [index, ports] of shopPorts.entries())
    await waitFor(
      ports.name,
      async () => (await fetch(`http://127.0.0.1:${ports.port}/healthz`)).ok,
      60_000,
      shops[index],
    );

  const targetsFile = path.join(dir, 'agent-targets.json');
  writeFileSync(
    targetsFile,
    JSON.stringify(
      agentTargets(
        ENVIRONMENT,
        shopPorts.map((ports, i) => ({ ...ports, pid: shops[i]?.pid ?? -1 })),
      ),
    ),
  );
  const agentToken = await api<{ token: string }>('POST', '/api/v1/agent-tokens', {
    name: 'real e2e',
  });
  // As start:real runs it: one SIGTERM reaches it however many arrive, and it then removes its
  // faults and ends its fault proxies.
  const agent = Child.start({
    name: 'agent',
    command: process.execPath,
    args: [
      '--import',
      'tsx',
      path.join(root, 'agent/index.ts'),
      '--server',
      url,
      '--config',
      targetsFile,
    ],
    cwd: root,
    env: { ...process.env, FAULTLINE_AGENT_TOKEN: agentToken.token },
    oneTerm: true,
  });
  cleanups.push(() => agent.stop(10_000));
  await until(
    'the agent online with every shop',
    async () => {
      const fleet = await api<{ instances: { id: string }[] }>('GET', '/api/v1/fleet');
      const ids = fleet.instances.map((i) => i.id);
      return shopPorts.every((s) => ids.includes(s.name)) ? true : null;
    },
    60_000,
  );
  // Its fault proxies forward to the apps, which answer 404 on /.
  for (const ports of shopPorts)
    await until(
      `${ports.name}'s fault proxy`,
      async () =>
        (await fetch(`http://127.0.0.1:${ports.proxyPort}/`)).status === 404 ? true : null,
      20_000,
    );

  const traffic = new AbortController();
  const trafficDone = runTraffic({
    targets: shopPorts.map((shop) => `http://127.0.0.1:${shop.port}`),
    ratePerSecond: 30,
    durationMs: 300_000,
    maxRequests: 9_000,
    signal: traffic.signal,
  });
  cleanups.push(async () => {
    traffic.abort();
    await trafficDone;
  });
  await prometheus.ready();

  async function query(promql: string): Promise<number | null> {
    const response = await fetch(
      `${prometheus.url}/api/v1/query?query=${encodeURIComponent(promql)}`,
    );
    const body = (await response.json()) as {
      data: { result: { value: [number, string] }[] };
    };
    const value = body.data.result[0]?.value[1];
    return value === undefined ? null : Number(value);
  }

  return { url, faultline, prometheus, shops, admin, api, query, close };
}
