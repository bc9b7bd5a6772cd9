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
import { createRollout, flagRolloutSpec, getRollout } from './rollouts-fixtures';
import { testServer, type TestServer } from './test-server';

// A guarded flag rollout judged on real series: three instances of the sample shop
// (examples/shop), scraped every second by Debian's Prometheus, label each request with the
// variant of new-checkout they served; flag on is read against flag off by that label. The new
// checkout path's defects (multi-buy carts refused) do the rest.
const installed = prometheusInstalled('guarded flag rollouts on real Prometheus series');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const SHOPS = ['shop-f1', 'shop-f2', 'shop-f3'];

describe.skipIf(!installed)(
  'guarded flag rollouts judged on real Prometheus series',
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
                  services: [{ name: 'checkout' }],
                  instances: SHOPS.map((id) => ({ id, service: 'checkout' })),
                },
              },
            },
          }),
        },
      });
      const faultlineUrl = await server.app.listen({ port: 0, host: '127.0.0.1' });
      const flagsKey = await server.ofrepKey('staging');
      // new-checkout off for everyone in staging: the rollout's steps are all that turn it on.
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
      for (const [index, instance] of SHOPS.entries())
        shops.push(
          await startShop({
            instance,
            service: 'checkout',
            environment: 'staging',
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
        ratePerSecond: 60,
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

    it('turns new-checkout off at the first step, on flag on’s 5xx against flag off’s', async () => {
      const created = await createRollout(
        server,
        flagRolloutSpec({
          steps: [
            { weight: 50, waitSeconds: 5 },
            { weight: 100, waitSeconds: 0 },
          ],
          analysis: {
            metrics: ['http_5xx_rate'],
            minSamples: 10,
            confidence: 0.95,
            tolerance: 0.25,
          },
        }),
      );
      const ended = await settled(created.id);
      expect(ended.state, `${ended.reason} ${JSON.stringify(ended.analyses)}`).toBe('rolled-back');
      expect(ended.weights.map((w) => w.weight)).toEqual([50, 0]);
      const failed = ended.analyses.at(-1);
      expect(failed).toMatchObject({ stepIndex: 0, outcome: 'fail' });
      expect(failed?.judgements[0]?.verdict.targetCount).toBeGreaterThanOrEqual(10);
      expect(ended.reason).toMatch(
        /^rolled back: flag on 5xx rate [\d.]+ % vs flag off [\d.]+ %, \+[\d.]+ points .*; flag new-checkout off in staging$/,
      );
      const flag = (await server.call('GET', '/api/v1/flags/new-checkout')).json() as Flag;
      expect(flag.environments.staging.state).toBe('off');
      // What the judge saw is what Prometheus holds: the flag-on requests' 5xx share is higher.
      const share = (matcher: string) =>
        query(
          `100 * (sum(rate(http_requests_total{service="checkout",code=~"5..",${matcher}}[10s])) or vector(0)) / sum(rate(http_requests_total{service="checkout",${matcher}}[10s]))`,
        );
      const on = await share('flag_new_checkout="on"');
      const off = await share('flag_new_checkout="off"');
      expect(on).toBeGreaterThan(5);
      expect(off).toBeLessThan(on / 5);
    });
  },
);
