import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, isIP } from 'node:net';
import { hostname } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Child, waitFor, type ChildSpec } from './real/children';
import { adminTokenFrom, isLoopback, realOptions, type RealOptions } from './real/options';
import {
  SHOP_CANARY,
  SHOP_SERVICE,
  agentTargets,
  backendsConfig,
  prometheusConfig,
  type ShopInstance,
} from './real/setup-files';

/**
 * `npm run start:real`: the real setup on one machine. Prometheus (1 s scrape), Faultline
 * reading it for one environment, the sample shop's instances, one agent whose targets they
 * are, and traffic from simulated users. Ctrl-C (SIGINT) or SIGTERM stops everything it
 * started, in order, by pid.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const started: Child[] = [];
let stopping: Promise<void> | null = null;

function log(line: string): void {
  process.stdout.write(`start:real: ${line}\n`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function start(spec: ChildSpec): Child {
  const child = Child.start({ cwd: root, ...spec });
  started.push(child);
  void child.ended().then((how) => {
    if (!stopping) {
      log(`${child.name} ended unexpectedly (${how}): stopping everything`);
      void stopAll(1);
    }
  });
  return child;
}

/** Where this machine reaches the server: its HOST, or loopback for a wildcard bind. */
function reachableHost(options: RealOptions): string {
  const host = options.HOST;
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::' || host === '[::]') return '[::1]';
  // Without users (demo mode) the server binds to loopback whatever HOST says.
  if (!options.FAULTLINE_USERS && !isLoopback(host)) return '127.0.0.1';
  return isIP(host) === 6 ? `[${host}]` : host;
}

/** A TypeScript entry point of this repository, run by Node with tsx's loader. */
const tsNode = (file: string, args: string[]) => ({
  command: process.execPath,
  args: ['--import', 'tsx', path.join(root, file), ...args],
});

async function ok(url: string, init?: RequestInit): Promise<boolean> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(2_000) });
  await response.arrayBuffer();
  return response.ok;
}

async function api<T>(base: string, token: string, route: string, body?: unknown): Promise<T> {
  const response = await fetch(new URL(route, base), {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${route} answered ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

/** A bearer token of an admin: a demo sign-in, or the users file's first admin. */
async function adminToken(options: RealOptions, faultline: string): Promise<string> {
  if (options.FAULTLINE_USERS) {
    const token = adminTokenFrom(options.FAULTLINE_USERS);
    if (!token) throw new Error(`${options.FAULTLINE_USERS} has no admin: the agent needs one`);
    return token;
  }
  const response = await fetch(new URL('/api/v1/session', faultline), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: 'ada-admin' }),
  });
  if (!response.ok) throw new Error(`demo sign-in answered ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

let cleanup: (() => Promise<void>) | null = null;
let runningFile: string | null = null;

async function stopAll(code: number): Promise<void> {
  stopping ??= (async () => {
    log('stopping…');
    // Traffic first, so nothing is in flight while the rest stops.
    await started.find((c) => c.name === 'traffic')?.stop();
    await cleanup?.().catch(() => undefined);
    for (const child of [...started].reverse()) await child.stop();
    if (runningFile) rmSync(runningFile, { force: true });
    log('everything it started has stopped');
    process.exit(code);
  })();
  return stopping;
}

async function main(): Promise<void> {
  const options = realOptions(process.env);
  const dataDir = path.resolve(options.FAULTLINE_DATA);
  const realDir = path.join(dataDir, 'real');
  mkdirSync(path.join(realDir, 'prometheus'), { recursive: true });

  const prometheusPort = await freePort();
  const prometheusUrl = `http://127.0.0.1:${prometheusPort}`;
  const shops: ShopInstance[] = [];
  for (let i = 1; i <= options.SHOP_INSTANCES; i++) {
    shops.push({
      name: `shop-${i}`,
      port: await freePort(),
      appPort: await freePort(),
      proxyPort: await freePort(),
    });
  }
  // The canary's edge forwards straight to its app: no agent stands in front of it.
  const canary: ShopInstance | null =
    options.SHOP_CANARY === '1'
      ? { name: SHOP_CANARY, port: await freePort(), appPort: await freePort(), proxyPort: 0 }
      : null;
  const environment = options.SHOP_ENVIRONMENT;
  const backendsFile = path.join(realDir, 'backends.json');
  writeFileSync(
    backendsFile,
    JSON.stringify(backendsConfig(environment, prometheusUrl, { canary: !!canary }), null, 2),
  );

  // Faultline first: the shops need its OFREP key, the agent its token.
  const port = options.PORT === 0 ? await freePort() : options.PORT;
  const base = `http://${reachableHost(options)}:${port}`;
  const faultline = start({
    name: 'faultline',
    ...tsNode(
      'mock-server/index.ts',
      options.START_REAL_API_ONLY === '1' ? [] : ['--build-if-stale'],
    ),
    env: { ...process.env, PORT: String(port), FAULTLINE_BACKENDS: backendsFile },
  });
  // The first start may build the dashboard first: minutes on a slow machine.
  await waitFor('Faultline', () => ok(`${base}/healthz`), 600_000, faultline);

  writeFileSync(
    path.join(realDir, 'prometheus.yml'),
    prometheusConfig(canary ? [...shops, canary] : shops, new URL(base)),
  );
  const prometheus = start({
    name: 'prometheus',
    command: options.PROMETHEUS_PATH,
    args: [
      `--config.file=${path.join(realDir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(realDir, 'prometheus')}`,
      '--storage.tsdb.retention.time=1d',
      `--web.listen-address=127.0.0.1:${prometheusPort}`,
      '--log.level=warn',
    ],
  });
  await waitFor('Prometheus', () => ok(`${prometheusUrl}/-/ready`), 60_000, prometheus);

  const admin = await adminToken(options, base);
  // Faultline keeps only a hash of each OFREP key: a fresh one for the shops, shown in this answer.
  const { key: flagsKey } = await api<{ key: string }>(
    base,
    admin,
    `/api/v1/ofrep-keys/${environment}/rotate`,
    {},
  );

  const shopChildren = shops.map((shop) =>
    start({
      name: shop.name,
      ...tsNode('examples/shop/index.ts', [
        `--name=${shop.name}`,
        `--port=${shop.port}`,
        `--app-port=${shop.appPort}`,
        `--upstream-port=${shop.proxyPort}`,
        `--environment=${environment}`,
        `--faultline=${base}`,
      ]),
      env: { ...process.env, FAULTLINE_FLAGS_KEY: flagsKey },
    }),
  );
  const canaryChild = canary
    ? start({
        name: canary.name,
        ...tsNode('examples/shop/index.ts', [
          `--name=${canary.name}`,
          `--port=${canary.port}`,
          `--app-port=${canary.appPort}`,
          '--version=canary',
          `--environment=${environment}`,
          `--faultline=${base}`,
        ]),
        env: { ...process.env, FAULTLINE_FLAGS_KEY: flagsKey },
      })
    : null;
  await Promise.all(
    [...shops, ...(canary ? [canary] : [])].map((shop, i) =>
      waitFor(
        shop.name,
        () => ok(`http://127.0.0.1:${shop.port}/healthz`),
        120_000,
        shopChildren[i] ?? canaryChild ?? undefined,
      ),
    ),
  );

  const agentName = `start-real on ${hostname()}`.slice(0, 80);
  const token = await api<{ id: string; token: string }>(base, admin, '/api/v1/agent-tokens', {
    name: agentName,
  });
  cleanup = async () => {
    // The token was made for this run: revoke it once the agent has stopped.
    const agentChild = started.find((c) => c.name === 'agent');
    await agentChild?.stop();
    await fetch(new URL(`/api/v1/agent-tokens/${token.id}`, base), {
      method: 'DELETE',
      headers: { authorization: `Bearer ${admin}` },
      signal: AbortSignal.timeout(2_000),
    });
  };
  const targetsFile = path.join(realDir, 'agent-targets.json');
  writeFileSync(
    targetsFile,
    JSON.stringify(
      agentTargets(
        environment,
        shops.map((shop, i) => ({ ...shop, pid: shopChildren[i]?.pid ?? -1 })),
      ),
      null,
      2,
    ),
  );
  const agent = start({
    name: 'agent',
    ...tsNode('agent/index.ts', ['--server', base, '--config', targetsFile]),
    env: { ...process.env, FAULTLINE_AGENT_TOKEN: token.token },
    oneTerm: true,
  });
  await waitFor(
    'the agent',
    async () => {
      const { agents } = await api<{ agents: { tokenName: string; online: boolean }[] }>(
        base,
        admin,
        '/api/v1/agents',
      );
      return agents.some((a) => a.tokenName === agentName && a.online);
    },
    120_000,
    agent,
  );
  // Its fault proxies forward to the apps (which answer 404 on /).
  await Promise.all(
    shops.map((shop) =>
      waitFor(
        `${shop.name}'s fault proxy`,
        async () => (await fetch(`http://127.0.0.1:${shop.proxyPort}/`)).status === 404,
        10_000,
      ),
    ),
  );

  const traffic = start({
    name: 'traffic',
    ...tsNode('examples/shop/run-traffic.ts', [
      ...shops.map((shop) => `--target=http://127.0.0.1:${shop.port}`),
      // As the shop's load balancer: the canary gets the share its rollout's weight says.
      ...(canary
        ? [
            `--canary-target=http://127.0.0.1:${canary.port}`,
            `--weights-from=${base}`,
            `--service=${SHOP_SERVICE}`,
            `--environment=${environment}`,
          ]
        : []),
      `--rate=${options.SHOP_TRAFFIC_RATE}`,
      '--duration-s=86400',
    ]),
  });

  const running = {
    faultline: base,
    prometheus: prometheusUrl,
    environment,
    shops,
    ...(canary ? { canary } : {}),
    pids: Object.fromEntries(started.map((child) => [child.name, child.pid])),
  };
  runningFile = path.join(realDir, 'running.json');
  writeFileSync(runningFile, JSON.stringify(running, null, 2));
  const width = Math.max(...shops.map((s) => s.name.length), canary?.name.length ?? 0, 10);
  log(
    [
      'the real setup is running:',
      `  ${'Faultline'.padEnd(width)}  ${base}  (${environment} reads Prometheus, the other environments are simulated)`,
      `  ${'Prometheus'.padEnd(width)}  ${prometheusUrl}  (data in ${path.join(realDir, 'prometheus')})`,
      ...shops.map(
        (shop) =>
          `  ${shop.name.padEnd(width)}  http://127.0.0.1:${shop.port}  (app ${shop.appPort}, fault proxy ${shop.proxyPort})`,
      ),
      ...(canary
        ? [
            `  ${canary.name.padEnd(width)}  http://127.0.0.1:${canary.port}  ` +
              '(the canary build, version=canary; a canary rollout on checkout judges it)',
            `  ${''.padEnd(width)}  its share of the traffic follows the rollout's weight ` +
              `(faultline_canary_weight at ${base}/metrics); none while no rollout runs`,
          ]
        : []),
      `  ${'agent'.padEnd(width)}  "${agentName}", targets ${shops.map((s) => s.name).join(', ')} (pid ${agent.pid})`,
      `  ${'traffic'.padEnd(width)}  ${options.SHOP_TRAFFIC_RATE} checkouts/s from simulated users (pid ${traffic.pid})`,
      'Press Ctrl-C to stop everything.',
    ].join('\n'),
  );
}

// `on`, not `once`: a Ctrl-C reaches this process twice (from the terminal, and relayed by
// tsx's own process), and a repeated signal must not kill it halfway through stopping.
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));
try {
  await main();
} catch (error) {
  log(`cannot start: ${(error as Error).message}`);
  await stopAll(1);
}
