import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Experiment } from '../../src/domain';
import { prometheusInstalled } from './real-prometheus';
import { startShopFixture, type ShopFixture } from './shop-fixture';
import { fivexxOnOneHostSpec } from './test-server';

// The real sample service (examples/shop): three instances reading new-checkout from Faultline
// over OFREP, with simulated users' traffic, scraped every second by Debian's Prometheus.
// Faultline reads staging from that Prometheus through the backends file.
const installed = prometheusInstalled('the sample shop read through Prometheus');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Watches the whole checkout service: 5xx above 5 % (the new path refuses multi-buy carts). */
const fivexxSpec = fivexxOnOneHostSpec(
  'checkout',
  { scope: 'service', magnitude: 50 },
  { name: '5xx of the real checkout' },
);

describe.skipIf(!installed)(
  'the sample shop read from a real Prometheus',
  { timeout: 120_000 },
  () => {
    let shop: ShopFixture;

    beforeAll(async () => {
      shop = await startShopFixture({
        shops: [{ id: 'shop-r1' }, { id: 'shop-r2' }, { id: 'shop-r3' }],
        traffic: { ratePerSecond: 60, maxRequests: 6_000 },
      });
    });

    afterAll(() => shop?.stop());

    it('aborts a 5xx condition when new-checkout is turned on for everyone', async () => {
      const { server } = shop;
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

      await shop.newCheckoutForEveryone('on');
      for (let beat = 0; beat < 60 && server.experiment(created.id).state === 'running'; beat++)
        await sleep(500);
      const outcome = server.experiment(created.id).run?.outcome;
      expect(outcome).toMatchObject({ kind: 'aborted', conditionIndex: 0 });
      if (outcome?.kind !== 'aborted') return;
      expect(outcome.noMetrics).toBeUndefined();
      expect(outcome.latest).toBeGreaterThan(5);
    });

    it('refuses a start while new-checkout fails the steady state for everyone', async () => {
      const { server } = shop;
      await shop.newCheckoutForEveryone('on');
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
        await shop.newCheckoutForEveryone('off');
      }
    });
  },
);
