import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prometheusInstalled } from './real-prometheus';
import { createRollout, flagRolloutSpec, settledRollout } from './rollouts-fixtures';
import { startShopFixture, type ShopFixture } from './shop-fixture';

// The sample-ratio check of a guarded flag rollout on a real service: three instances of the
// sample shop label each request with the variant of new-checkout it was served; Prometheus
// counts them by that label, and the check compares the counts with the rollout's share.
const installed = prometheusInstalled('the sample-ratio check on real Prometheus series');

const spec = (waitSeconds: number) =>
  flagRolloutSpec({
    steps: [
      { weight: 50, waitSeconds },
      { weight: 100, waitSeconds: 0 },
    ],
    analysis: { metrics: ['latency_p99'], minSamples: 10, confidence: 0.95, tolerance: 0.25 },
  });

describe.skipIf(!installed)(
  'the sample-ratio check of a guarded flag rollout on real traffic',
  { timeout: 120_000 },
  () => {
    let shop: ShopFixture;

    beforeAll(async () => {
      shop = await startShopFixture({
        shops: [{ id: 'shop-r1' }, { id: 'shop-r2' }, { id: 'shop-r3' }],
        traffic: { ratePerSecond: 60, maxRequests: 9_000 },
      });
      await shop.everyShopServing();
    });

    afterAll(() => shop?.stop());

    it('judges a step whose real requests split as the rollout says, counted by Prometheus', async () => {
      const created = await createRollout(shop.server, spec(8));
      const ended = await settledRollout(shop.server, created.id);
      // Whatever the judge found of the new path's latency, the split was no reason to hold.
      expect(ended.state, `${ended.reason}`).not.toBe('held');
      const first = ended.analyses[0];
      expect(first?.outcome).not.toBe('sample-ratio-mismatch');
      const ratio = first?.sampleRatio;
      expect(ratio?.outcome).toBe('match');
      // The step's weight, not the share of the simulation's users the flag would serve (48.75 %).
      expect(ratio?.expectedShare).toBe(0.5);
      // Requests counted by Prometheus (up to 60 a second; fewer on a loaded machine).
      expect((ratio?.targetCount ?? 0) + (ratio?.controlCount ?? 0)).toBeGreaterThan(100);
      expect(ratio?.observedShare).toBeGreaterThan(0.3);
      expect(ratio?.observedShare).toBeLessThan(0.8);
    });

    it('holds the rollout, the ratio in its reason, when the flag-on cohort serves nothing', async () => {
      const created = await createRollout(shop.server, spec(6));
      // Changed outside the rollout: every request is served the off variant from now on.
      await shop.newCheckoutForEveryone('off');
      const ended = await settledRollout(shop.server, created.id);
      expect(ended.state, `${ended.reason}`).toBe('held');
      expect(ended.reason).toMatch(
        new RegExp(
          String.raw`^held: sample ratio mismatch: flag on got [\d.]+ % of requests, ` +
            String.raw`the rollout expects 50\.0 % \(χ² = [\d.∞]+, p < 0\.001, \d+ requests\)`,
        ),
      );
      const last = ended.analyses.at(-1);
      expect(last).toMatchObject({ outcome: 'sample-ratio-mismatch', stepIndex: 0, weight: 50 });
      expect(last?.sampleRatio?.observedShare).toBeLessThan(0.25);
      expect(ended.weights.map((w) => w.weight)).toEqual([50]);
    });
  },
);
