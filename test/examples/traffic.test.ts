import { OpenFeature } from '@openfeature/server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startShop, type RunningShop } from '../../examples/shop/shop';
import { checkTargets, randomCart, runTraffic } from '../../examples/shop/traffic';
import { seededRandom, shopUsers } from '../../examples/shop/users';
import { freePort } from '../mock-server/real-prometheus';

let shops: RunningShop[] = [];

beforeAll(async () => {
  // No Faultline: each instance serves its fallback (the classic checkout).
  const faultlineUrl = `http://127.0.0.1:${await freePort()}`;
  shops = await Promise.all(
    ['shop-a', 'shop-b'].map((instance) =>
      startShop({
        instance,
        service: 'checkout',
        environment: 'staging',
        port: 0,
        appPort: 0,
        faultlineUrl,
        flagsKey: 'none',
        fallbackNewCheckout: false,
        flagTimeoutMs: 500,
      }),
    ),
  );
});
afterAll(async () => {
  await Promise.all(shops.map((shop) => shop.close()));
  await OpenFeature.close();
});

describe('the traffic generator', () => {
  it('sends users with an email, a country and a company, spread over every instance', async () => {
    const summary = await runTraffic({
      targets: shops.map((shop) => `http://127.0.0.1:${shop.port}`),
      ratePerSecond: 200,
      durationMs: 20_000,
      maxRequests: 40,
    });
    expect(summary.sent).toBe(40);
    expect(summary.byStatus).toEqual({ '200': 40 });
    for (const shop of shops) {
      const text = await shop.metrics.registry.getSingleMetricAsString('http_requests_total');
      expect(text).toMatch(/code="200"[^}]*\} 20$/m);
    }
  });

  it('stops at its duration even when the count is far away', async () => {
    const summary = await runTraffic({
      targets: [`http://127.0.0.1:${shops[0]!.port}`],
      ratePerSecond: 20,
      durationMs: 300,
      maxRequests: 1_000_000,
    });
    expect(summary.sent).toBeLessThan(20);
  });

  it('refuses any target off the loopback', () => {
    expect(() => checkTargets(['http://10.0.0.1:7001'])).toThrow(/targets\.0/);
    expect(() => checkTargets(['http://127.0.0.1:7001', 'https://example.com'])).toThrow(
      /targets\.1/,
    );
    expect(() => checkTargets([])).toThrow(/at least one/);
    expect(() => checkTargets(['http://127.0.0.1:7001', 'http://[::1]:7002'])).not.toThrow();
  });

  it('makes users of several companies and countries, and some multi-buy carts', () => {
    const random = seededRandom(7);
    const users = shopUsers(random, 200);
    expect(new Set(users.map((u) => u.company)).size).toBeGreaterThanOrEqual(5);
    expect(new Set(users.map((u) => u.country)).size).toBeGreaterThanOrEqual(6);
    expect(users.every((u) => /^[a-z]+\.\d+@[a-z.]+$/.test(u.email))).toBe(true);
    const carts = Array.from({ length: 1000 }, () => randomCart(random));
    const multiBuy = carts.filter((cart) => cart.length >= 5).length;
    expect(multiBuy).toBeGreaterThan(100);
    expect(multiBuy).toBeLessThan(300);
  });
});
