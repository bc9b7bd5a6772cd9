import { OpenFeature } from '@openfeature/server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startShop, type RunningShop } from '../../examples/shop/shop';
import { runTraffic } from '../../examples/shop/traffic';
import { parseBackendsConfig } from '../../mock-server/backends/backends-config';
import { systemClock } from '../../mock-server/clock';
import type { Experiment, ExperimentSpecInput } from '../../src/domain';
import { flagSpecOf, type Flag } from '../../src/domain/flags';
import {
  freePort,
  prometheusInstalled,
  startPrometheus,
  type RunningPrometheus,
} from './real-prometheus';
import { cpuSpec, testServer, type TestServer } from './test-server';

// The real sample service (examples/shop): three instances reading new-checkout from Faultline
// over OFREP, with simulated users' traffic, scraped every second by Debian's Prometheus.
// Faultline reads staging from that Prometheus through the backends file.
const installed = prometheusInstalled('the sample shop read through Prometheus');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const SHOPS = ['shop-r1', 'shop-r2', 'shop-r3'];

/** Watches the whole checkout service: 5xx above 5 % (the new path refuses multi-buy carts). */
const fivexxSpec: ExperimentSpecInput = cpuSpec({
  name: '5xx of the real checkout',
  environment: 'staging',
  service: 'checkout',
  blastRadius: {
    scope: 'hosts',
    selector: {},
    mode: 'count',
    value: 1,
    source: { kind: 'selector' },
  },
  attack: { type: 'latency' },
  steps: [{ magnitude: 50, durationSeconds: 600 }],
  abortConditions: [
    {
      kind: 'threshold',
      metric: 'http_5xx_rate',
      comparator: '>',
      threshold: 5,
      windowSeconds: 0,
      scope: 'service',
    },
  ],
});

describe.skipIf(!installed)(
  'the sample shop read from a real Prometheus',
  { timeout: 120_000 },
  () => {
    let server: TestServer;
    let prometheus: RunningPrometheus;
    const shops: RunningShop[] = [];
    const traffic = new AbortController();
    let trafficDone: Promise<unknown> = Promise.resolve();

    /** Serves new-checkout in staging to everyone (`on`) or to no one (`off`). */
    async function newCheckoutForEveryone(variant: 'on' | 'off') {
      const flag = (await server.call('GET', '/api/v1/flags/new-checkout')).json() as Flag;
      const spec = flagSpecOf(flag);
      spec.environments.staging = {
        state: 'on',
        rules: [{ name: 'Everyone', conditions: [], serve: { kind: 'variant', variant } }],
      };
      const response = await server.call('PUT', '/api/v1/flags/new-checkout', {
        as: 'ada-admin',
        body: { version: flag.version, spec },
      });
      expect(response.statusCode, response.body).toBe(200);
    }

    beforeAll(async () => {
      // Ports first: Prometheus scrapes the shops, Faultline reads Prometheus, the shops read
      // their flag from Faultline.
      const ports = [await freePort(), await freePort(), await freePort()];
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
      await newCheckoutForEveryone('off');
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
        maxRequests: 6_000,
        signal: traffic.signal,
      });
    });

    afterAll(async () => {
      traffic.abort();
      await trafficDone;
      await prometheus?.stop();
      for (const shop of shops) await shop.close();
      await OpenFeature.close();
      await server?.app.close();
    });

    it('aborts a 5xx condition when new-checkout is turned on for everyone', async () => {
      const created = (
        await server.call('POST', '/api/v1/experiments', { body: fivexxSpec })
      ).json() as Experiment;
      // Until Prometheus has scraped every shop under traffic twice: the steady state is real.
      let started: Experiment | undefined;
      let refusal = '';
      for (let attempt = 0; attempt < 40 && !started; attempt++) {
        await sleep(500);
        const response = await server.call('POST', `/api/v1/experiments/${created.id}/start`, {
          body: { version: created.version },
        });
        if (response.statusCode === 200) started = response.json() as Experiment;
        else refusal = response.body;
      }
      expect(started, refusal).toBeDefined();

      // A few healthy evaluations: nothing trips on the classic path.
      await sleep(3_000);
      expect(server.experiment(created.id).state).toBe('running');

      await newCheckoutForEveryone('on');
      for (let beat = 0; beat < 60 && server.experiment(created.id).state === 'running'; beat++)
        await sleep(500);
      const outcome = server.experiment(created.id).run?.outcome;
      expect(outcome).toMatchObject({ kind: 'aborted', conditionIndex: 0 });
      if (outcome?.kind !== 'aborted') return;
      expect(outcome.noMetrics).toBeUndefined();
      expect(outcome.latest).toBeGreaterThan(5);
    });

    it('refuses a start while new-checkout fails the steady state for everyone', async () => {
      await newCheckoutForEveryone('on');
      try {
        await sleep(6_000);
        const created = (
          await server.call('POST', '/api/v1/experiments', { body: fivexxSpec })
        ).json() as Experiment;
        const refused = await server.call('POST', `/api/v1/experiments/${created.id}/start`, {
          body: { version: created.version },
        });
        expect(refused.statusCode).toBe(422);
        expect(refused.json().error.message).toMatch(
          /^steady-state check failed: "5xx rate \(whole service\) > 5 %" already holds/,
        );
      } finally {
        await newCheckoutForEveryone('off');
      }
    });
  },
);
