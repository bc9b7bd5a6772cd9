import { spawnSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { canaryWeightIn, watchCanaryWeight } from '../../examples/shop/canary-weight';
import { runTraffic } from '../../examples/shop/traffic';
import { canarySpec, createRollout, getRollout } from '../mock-server/rollouts-fixtures';
import { testServer, type TestServer } from '../mock-server/test-server';

// The traffic generator as the shop's load balancer: the canary's share of requests follows the
// weight Faultline exports on /metrics (faultline_canary_weight).

const root = path.resolve(import.meta.dirname, '../..');
const closing: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closing.splice(0).reverse()) await close();
});

interface Loopback {
  url: string;
  /** Requests it answered. */
  count(): number;
  close(): Promise<void>;
}

/** A loopback HTTP server answering every request with `answer()` (200 `{}` by default). */
async function loopback(answer: () => string = () => '{}'): Promise<Loopback> {
  let count = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      count += 1;
      res.end(answer());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  closing.push(close);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    count: () => count,
    close,
  };
}

/** Whether `hits` of `n` requests is within `z` standard deviations of a share `p`. */
function withinBinomial(hits: number, n: number, p: number, z = 4): boolean {
  const sd = Math.sqrt(n * p * (1 - p));
  return Math.abs(hits - n * p) <= z * sd;
}

const exposition = (lines: string[]) =>
  [
    '# HELP faultline_canary_weight Share of the service’s requests (0-1) its canary should receive now.',
    '# TYPE faultline_canary_weight gauge',
    ...lines,
    '',
  ].join('\n');

describe('reading faultline_canary_weight from an exposition', () => {
  it.each([
    ['the service and environment asked', 'service="checkout",environment="staging"} 0.25', 0.25],
    [
      'labels in another order, with others',
      'job="f",environment="staging",service="checkout"} 0.5',
      0.5,
    ],
    [
      'blanks and a timestamp',
      ' service = "checkout" , environment="staging" , } 0.05 1700000000000',
      0.05,
    ],
    ['another environment only', 'service="checkout",environment="production"} 0.5', null],
    ['a service whose name contains it', 'service="checkout-v2",environment="staging"} 0.5', null],
    ['escaped quotes in another series', 'service="a\\"b",environment="staging"} 0.5', null],
    ['a value past 1, clamped', 'service="checkout",environment="staging"} 1.5', 1],
    ['+Inf, clamped', 'service="checkout",environment="staging"} +Inf', 1],
    ['NaN: no weight', 'service="checkout",environment="staging"} NaN', null],
    ['a line cut short', 'service="checkout",environment="staging', null],
  ])('%s', (_what, sample, expected) => {
    const text = exposition([`faultline_canary_weight{${sample}`]);
    expect(canaryWeightIn(text, 'checkout', 'staging')).toBe(expected);
  });

  it('reads a label value with escapes, and ignores a longer metric name and comments', () => {
    const text = exposition([
      '# faultline_canary_weight{service="checkout",environment="staging"} 0.9',
      'faultline_canary_weight_max{service="checkout",environment="staging"} 0.8',
      'faultline_canary_weight{service="we \\"shop\\"\\\\",environment="staging"} 0.3',
    ]);
    expect(canaryWeightIn(text, 'checkout', 'staging')).toBeNull();
    expect(canaryWeightIn(text, 'we "shop"\\', 'staging')).toBe(0.3);
  });
});

describe('watching the canary weight', () => {
  it('follows the gauge, and keeps the last weight known, saying so once, when Faultline is gone', async () => {
    let text = exposition([
      'faultline_canary_weight{service="checkout",environment="staging"} 0.25',
    ]);
    const faultline = await loopback(() => text);
    const warnings: string[] = [];
    const changes: number[] = [];
    const watch = await watchCanaryWeight({
      faultlineUrl: faultline.url,
      service: 'checkout',
      environment: 'staging',
      pollMs: 20,
      timeoutMs: 200,
      warn: (line) => warnings.push(line),
      onChange: (weight) => changes.push(weight),
    });
    closing.push(() => watch.stop());
    expect(watch.current()).toBe(0.25);

    text = exposition([]);
    await expect.poll(() => watch.current(), { timeout: 2_000 }).toBe(0);
    text = exposition(['faultline_canary_weight{service="checkout",environment="staging"} 0.5']);
    await expect.poll(() => watch.current(), { timeout: 2_000 }).toBe(0.5);

    await faultline.close();
    const reads = faultline.count();
    await expect.poll(() => warnings.length, { timeout: 2_000 }).toBe(1);
    // Several more polls fail: the weight stays, and nothing more is said.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(watch.current()).toBe(0.5);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /cannot read the canary weight from .*\/metrics .*50 % to the canary/,
    );
    expect(faultline.count()).toBe(reads);
    expect(changes).toEqual([0.25, 0, 0.5]);
  });

  it('starts at no canary traffic when Faultline cannot be read at all', async () => {
    const gone = await loopback();
    await gone.close();
    const warnings: string[] = [];
    const watch = await watchCanaryWeight({
      faultlineUrl: gone.url,
      service: 'checkout',
      environment: 'staging',
      pollMs: 20,
      warn: (line) => warnings.push(line),
    });
    await watch.stop();
    expect(watch.current()).toBe(0);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/\(ECONNREFUSED\); keeping the last one known, 0 % to the canary$/);
  });
});

describe('the traffic generator as the load balancer of a canary', () => {
  const N = 400;

  async function shops() {
    const stable = await Promise.all([loopback(), loopback(), loopback()]);
    const canary = await loopback();
    return { stable, canary };
  }

  /** N requests, fast, the canary's weight read from `faultlineUrl`; the counts at each shop. */
  async function send(faultlineUrl: string, seed: number) {
    const { stable, canary } = await shops();
    const summary = await runTraffic({
      targets: stable.map((s) => s.url),
      canary: {
        targets: [canary.url],
        weightFrom: { faultlineUrl, service: 'checkout', environment: 'staging', warn: () => {} },
      },
      ratePerSecond: 1_000,
      durationMs: 10_000,
      maxRequests: N,
      seed,
    });
    expect(summary.sent).toBe(N);
    expect(summary.byStatus).toEqual({ '200': N });
    expect(canary.count()).toBe(summary.toCanary);
    // The rest round-robin over the stable instances.
    const rest = stable.map((s) => s.count());
    expect(rest.reduce((a, b) => a + b, 0)).toBe(N - canary.count());
    expect(Math.max(...rest) - Math.min(...rest)).toBeLessThanOrEqual(1);
    return canary.count();
  }

  let server: TestServer | null = null;
  afterEach(async () => {
    await server?.app.close();
    server = null;
  });

  it('sends the canary its rollout’s share at two steps read from Faultline, and none without a rollout', async () => {
    server = await testServer();
    const faultlineUrl = await server.app.listen({ port: 0, host: '127.0.0.1' });

    expect(await send(faultlineUrl, 1)).toBe(0);

    const rollout = await createRollout(
      server,
      canarySpec({
        steps: [
          { weight: 10, waitSeconds: 30 },
          { weight: 50, waitSeconds: 30 },
          { weight: 100, waitSeconds: 0 },
        ],
      }),
    );
    const atTen = await send(faultlineUrl, 2);
    expect(withinBinomial(atTen, N, 0.1), `${atTen} of ${N} at 10 %`).toBe(true);

    server.advance(31);
    expect((await getRollout(server, rollout.id)).weight).toBe(50);
    const atFifty = await send(faultlineUrl, 3);
    expect(withinBinomial(atFifty, N, 0.5), `${atFifty} of ${N} at 50 %`).toBe(true);

    const aborted = await server.call('POST', `/api/v1/rollouts/${rollout.id}/abort`, {
      body: { reason: 'back to stable' },
    });
    expect(aborted.statusCode).toBe(200);
    expect(await send(faultlineUrl, 4)).toBe(0);
  });

  it('sends the canary the share a loopback exposition says', async () => {
    const faultline = await loopback(() =>
      exposition(['faultline_canary_weight{service="checkout",environment="staging"} 0.25']),
    );
    const hits = await send(faultline.url, 5);
    expect(withinBinomial(hits, N, 0.25), `${hits} of ${N} at 25 %`).toBe(true);
  });

  it('refuses a canary target or a weights source off the loopback', async () => {
    const options = (canaryTarget: string, faultlineUrl: string) => ({
      targets: ['http://127.0.0.1:7001'],
      canary: {
        targets: [canaryTarget],
        weightFrom: { faultlineUrl, service: 'checkout', environment: 'staging' },
      },
      ratePerSecond: 10,
      durationMs: 100,
      maxRequests: 1,
    });
    await expect(
      runTraffic(options('http://10.0.0.1:7001', 'http://127.0.0.1:4400')),
    ).rejects.toThrow(/canary\.targets\.0/);
    await expect(
      runTraffic(options('http://127.0.0.1:7002', 'http://10.0.0.2:4400')),
    ).rejects.toThrow(/canary\.weightFrom/);
  });

  it('run-traffic refuses --canary-target without --weights-from', () => {
    const run = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(root, 'examples/shop/run-traffic.ts'),
        '--target=http://127.0.0.1:7001',
        '--canary-target=http://127.0.0.1:7002',
      ],
      { cwd: root, encoding: 'utf8', timeout: 20_000 },
    );
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--canary-target and --weights-from go together/);
  });
});
