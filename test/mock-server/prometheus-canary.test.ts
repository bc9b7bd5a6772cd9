import { OpenFeature } from '@openfeature/server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startShop, type RunningShop } from '../../examples/shop/shop';
import { runTraffic } from '../../examples/shop/traffic';
import { parseBackendsConfig } from '../../mock-server/backends/backends-config';
import { systemClock } from '../../mock-server/clock';
import type { Rollout } from '../../src/domain';
import { flagSpecOf, type Flag } from '../../src/domain/flags';
import {
  freePort,
  prometheusInstalled,
  startPrometheus,
  type RunningPrometheus,
} from './real-prometheus';
import { canarySpec, createRollout, getRollout } from './rollouts-fixtures';
import { testServer, type TestServer } from './test-server';

// Canary rollouts judged on real series: shop instances (examples/shop) scraped every second by
// Debian's Prometheus, the canary told apart by the label version=canary. On checkout the
// canary runs the canary build (the new checkout path for everyone, with its defects); on
// payments the instance labelled canary runs the stable build, so nothing tells it apart.
const installed = prometheusInstalled('canary rollouts on real Prometheus series');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface ShopSpec {
  id: string;
  service: string;
  /** What the fleet says it runs. */
  label: 'stable' | 'canary';
  /** What it really runs. */
  build: 'stable' | 'canary';
}

const SHOPS: ShopSpec[] = [
  { id: 'checkout-1', service: 'checkout', label: 'stable', build: 'stable' },
  { id: 'checkout-2', service: 'checkout', label: 'stable', build: 'stable' },
  { id: 'checkout-canary', service: 'checkout', label: 'canary', build: 'canary' },
  { id: 'payments-1', service: 'payments', label: 'stable', build: 'stable' },
  { id: 'payments-2', service: 'payments', label: 'stable', build: 'stable' },
  { id: 'payments-canary', service: 'payments', label: 'canary', build: 'stable' },
];

/** Judged on the 5xx rate from 10 samples a side; the first step waits long enough to judge. */
function realCanary(service: string) {
  return canarySpec({
    name: `${service} 2.5.0`,
    service,
    newVersion: '2.5.0',
    steps: [
      { weight: 25, waitSeconds: 5 },
      { weight: 100, waitSeconds: 0 },
    ],
    analysis: { metrics: ['http_5xx_rate'], minSamples: 10, confidence: 0.95, tolerance: 0.25 },
  });
}

describe.skipIf(!installed)(
  'canary rollouts judged on real Prometheus series',
  { timeout: 120_000 },
  () => {
    let server: TestServer;
    let prometheus: RunningPrometheus;
    const shops: RunningShop[] = [];
    const traffic = new AbortController();
    let trafficDone: Promise<unknown> = Promise.resolve();

    async function query(promql: string): Promise<number> {
      const response = await fetch(
        `${prometheus.url}/api/v1/query?query=${encodeURIComponent(promql)}`,
      );
      const body = (await response.json()) as { data: { result: { value: [number, string] }[] } };
      return Number(body.data.result[0]?.value[1] ?? Number.NaN);
    }

    /** Polls the rollout until it leaves `progressing` (at most `beats` × 500 ms). */
    async function settled(id: string, beats = 120): Promise<Rollout> {
      let rollout = await getRollout(server, id);
      for (let beat = 0; beat < beats && rollout.state === 'progressing'; beat++) {
        await sleep(500);
        rollout = await getRollout(server, id);
      }
      return rollout;
    }

    beforeAll(async () => {
      const ports = await Promise.all(SHOPS.map(() => freePort()));
      prometheus = await startPrometheus([{ targets: ports.map((port) => `127.0.0.1:${port}`) }], {
        honorLabels: true,
      });
      server = await testServer({
        clock: systemClock,
        config: {
          backends: parseBackendsConfig({
            environments: {
              staging: {
                metrics: { url: prometheus.url },
                fleet: {
                  services: [{ name: 'checkout' }, { name: 'payments' }],
                  instances: SHOPS.map((shop) => ({
                    id: shop.id,
                    service: shop.service,
                    labels: { version: shop.label },
                  })),
                },
              },
            },
          }),
        },
      });
      const faultlineUrl = await server.app.listen({ port: 0, host: '127.0.0.1' });
      const flagsKey = await server.ofrepKey('staging');
      // new-checkout off for everyone in staging: the stable builds take the classic path.
      const flag = (await server.call('GET', '/api/v1/flags/new-checkout')).json() as Flag;
      const spec = flagSpecOf(flag);
      spec.environments.staging = {
        state: 'on',
        rules: [{ name: 'Everyone', conditions: [], serve: { kind: 'variant', variant: 'off' } }],
      };
      const put = await server.call('PUT', '/api/v1/flags/new-checkout', {
        as: 'ada-admin',
        body: { version: flag.version, spec },
      });
      expect(put.statusCode, put.body).toBe(200);
      for (const [index, shop] of SHOPS.entries())
        shops.push(
          await startShop({
            instance: shop.id,
            service: shop.service,
            environment: 'staging',
            version: shop.build,
            port: ports[index] ?? 0,
            appPort: 0,
            faultlineUrl,
            flagsKey,
            fallbackNewCheckout: false,
            flagTimeoutMs: 2_000,
          }),
        );
      await prometheus.ready();
      trafficDone = runTraffic({
        targets: shops.map((shop) => `http://127.0.0.1:${shop.port}`),
        ratePerSecond: 90,
        durationMs: 110_000,
        maxRequests: 9_000,
        signal: traffic.signal,
      });
      // Every instance scraped under traffic before a rollout looks.
      for (let beat = 0; beat < 60; beat++) {
        const serving = await query(
          'count(rate(http_requests_total{environment="staging",route="/checkout"}[5s]) > 0)',
        );
        if (serving >= SHOPS.length) break;
        await sleep(500);
      }
    });

    afterAll(async () => {
      traffic.abort();
      await trafficDone;
      await prometheus?.stop();
      for (const shop of shops) await shop.close();
      await OpenFeature.close();
      await server?.app.close();
    });

    it('rolls a defective canary back at its first step, on its own 5xx against stable’s', async () => {
      const created = await createRollout(server, realCanary('checkout'));
      const ended = await settled(created.id);
      expect(ended.state, ended.reason ?? '').toBe('rolled-back');
      expect(ended.weight).toBe(0);
      // Never promoted: the step that judged it was the first.
      expect(ended.weights.map((w) => w.weight)).toEqual([25, 0]);
      const failed = ended.analyses.at(-1);
      expect(failed).toMatchObject({ stepIndex: 0, outcome: 'fail' });
      const judgement = failed?.judgements[0];
      expect(judgement?.verdict.regression).toBe(true);
      expect(judgement?.verdict.targetCount).toBeGreaterThanOrEqual(10);
      expect(judgement?.text).toMatch(
        /^canary 5xx rate [\d.]+ % vs stable [\d.]+ %, \+[\d.]+ points \[[\d.]+, [\d.]+\], p [<=] [\d.]+, \d+ (samples each|vs \d+ samples)$/,
      );
      expect(ended.reason).toMatch(/^rolled back: canary 5xx rate/);
      // What the judge saw is what Prometheus holds: the canary's 5xx share above stable's.
      const share = (matcher: string) =>
        query(
          `100 * (sum(rate(http_requests_total{service="checkout",code=~"5..",${matcher}}[10s])) or vector(0)) / sum(rate(http_requests_total{service="checkout",${matcher}}[10s]))`,
        );
      const canary = await share('version="canary"');
      const stable = await share('version="stable"');
      expect(canary).toBeGreaterThan(5);
      expect(stable).toBeLessThan(canary / 5);
    });

    it('promotes a canary that runs the stable build to 100 %', async () => {
      const created = await createRollout(server, realCanary('payments'));
      const ended = await settled(created.id);
      expect(ended.state, ended.reason ?? '').toBe('succeeded');
      expect(ended.weight).toBe(100);
      const judged = ended.analyses.find((a) => a.stepIndex === 0);
      expect(judged?.outcome).toBe('pass');
      expect(judged?.judgements[0]?.verdict.targetCount).toBeGreaterThanOrEqual(10);
    });
  },
);
