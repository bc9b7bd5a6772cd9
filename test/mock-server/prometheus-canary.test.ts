import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prometheusInstalled } from './real-prometheus';
import { canarySpec, createRollout, settledRollout } from './rollouts-fixtures';
import { startShopFixture, type ShopFixture, type ShopInstance } from './shop-fixture';

// Canary rollouts judged on real series: shop instances (examples/shop) scraped every second by
// Debian's Prometheus, the canary told apart by the label version=canary. On checkout the
// canary runs the canary build (the new checkout path for everyone, with its defects); on
// payments the instance labelled canary runs the stable build, so nothing tells it apart.
const installed = prometheusInstalled('canary rollouts on real Prometheus series');

/** `labels` is what the fleet says it runs, `build` what it really runs. */
const SHOPS: ShopInstance[] = [
  { id: 'checkout-1', service: 'checkout', labels: { version: 'stable' }, build: 'stable' },
  { id: 'checkout-2', service: 'checkout', labels: { version: 'stable' }, build: 'stable' },
  { id: 'checkout-canary', service: 'checkout', labels: { version: 'canary' }, build: 'canary' },
  { id: 'payments-1', service: 'payments', labels: { version: 'stable' }, build: 'stable' },
  { id: 'payments-2', service: 'payments', labels: { version: 'stable' }, build: 'stable' },
  { id: 'payments-canary', service: 'payments', labels: { version: 'canary' }, build: 'stable' },
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
    let shop: ShopFixture;

    beforeAll(async () => {
      // new-checkout off for everyone in staging: the stable builds take the classic path.
      shop = await startShopFixture({
        shops: SHOPS,
        traffic: { ratePerSecond: 90, maxRequests: 9_000 },
      });
      // Every instance scraped under traffic before a rollout looks.
      await shop.everyShopServing();
    });

    afterAll(() => shop?.stop());

    it('rolls a defective canary back at its first step, on its own 5xx against stable’s', async () => {
      const created = await createRollout(shop.server, realCanary('checkout'));
      const ended = await settledRollout(shop.server, created.id);
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
        new RegExp(
          String.raw`^canary 5xx rate [\d.]+ % vs stable [\d.]+ %, \+[\d.]+ points \[[\d.]+, [\d.]+\], ` +
            String.raw`p [<=] [\d.]+, [\d,]+ vs [\d,]+ requests, \d+ (samples each|vs \d+ samples)$`,
        ),
      );
      expect(ended.reason).toMatch(/^rolled back: canary 5xx rate/);
      // What the judge saw is what Prometheus holds: the canary's 5xx share above stable's.
      const canary = await shop.fivexxShare('checkout', 'version="canary"');
      const stable = await shop.fivexxShare('checkout', 'version="stable"');
      expect(canary).toBeGreaterThan(5);
      expect(stable).toBeLessThan(canary / 5);
    });

    it('promotes a canary that runs the stable build to 100 %', async () => {
      const created = await createRollout(shop.server, realCanary('payments'));
      const ended = await settledRollout(shop.server, created.id);
      expect(ended.state, ended.reason ?? '').toBe('succeeded');
      expect(ended.weight).toBe(100);
      const judged = ended.analyses.find((a) => a.stepIndex === 0);
      expect(judged?.outcome).toBe('pass');
      expect(judged?.judgements[0]?.verdict.targetCount).toBeGreaterThanOrEqual(10);
    });
  },
);
