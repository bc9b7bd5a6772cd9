import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Flag } from '../../src/domain/flags';
import { prometheusInstalled } from './real-prometheus';
import { createRollout, flagRolloutSpec, settledRollout } from './rollouts-fixtures';
import { startShopFixture, type ShopFixture } from './shop-fixture';

// A guarded flag rollout judged on real series: three instances of the sample shop
// (examples/shop), scraped every second by Debian's Prometheus, label each request with the
// variant of new-checkout they served; flag on is read against flag off by that label. The new
// checkout path's defects (multi-buy carts refused) do the rest.
const installed = prometheusInstalled('guarded flag rollouts on real Prometheus series');

describe.skipIf(!installed)(
  'guarded flag rollouts judged on real Prometheus series',
  { timeout: 120_000 },
  () => {
    let shop: ShopFixture;

    beforeAll(async () => {
      // new-checkout off for everyone in staging: the rollout's steps are all that turn it on.
      shop = await startShopFixture({
        shops: [{ id: 'shop-f1' }, { id: 'shop-f2' }, { id: 'shop-f3' }],
        traffic: { ratePerSecond: 60, maxRequests: 9_000 },
      });
      // Every instance scraped under traffic before a rollout looks.
      await shop.everyShopServing();
    });

    afterAll(() => shop?.stop());

    it('turns new-checkout off at the first step, on flag on’s 5xx against flag off’s', async () => {
      const created = await createRollout(
        shop.server,
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
      const ended = await settledRollout(shop.server, created.id);
      expect(ended.state, `${ended.reason} ${JSON.stringify(ended.analyses)}`).toBe('rolled-back');
      expect(ended.weights.map((w) => w.weight)).toEqual([50, 0]);
      const failed = ended.analyses.at(-1);
      expect(failed).toMatchObject({ stepIndex: 0, outcome: 'fail' });
      expect(failed?.judgements[0]?.verdict.targetCount).toBeGreaterThanOrEqual(10);
      expect(ended.reason).toMatch(
        /^rolled back: flag on 5xx rate [\d.]+ % vs flag off [\d.]+ %, \+[\d.]+ points .*; flag new-checkout off in staging$/,
      );
      const flag = (await shop.server.call('GET', '/api/v1/flags/new-checkout')).json() as Flag;
      expect(flag.environments.staging.state).toBe('off');
      // What the judge saw is what Prometheus holds: the flag-on requests' 5xx share is higher.
      const on = await shop.fivexxShare('checkout', 'flag_new_checkout="on"');
      const off = await shop.fivexxShare('checkout', 'flag_new_checkout="off"');
      expect(on).toBeGreaterThan(5);
      expect(off).toBeLessThan(on / 5);
    });
  },
);
