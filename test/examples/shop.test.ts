import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { OpenFeature } from '@openfeature/server-sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FaultProxy } from '../../agent/fault-proxy';
import { ENVIRONMENTS } from '../../src/domain';
import { DEFAULT_COSTS, MULTI_BUY_LINES, type CartLine } from '../../examples/shop/checkout';
import { startShop, type RunningShop, type ShopOptions } from '../../examples/shop/shop';
import type { ShopUser } from '../../examples/shop/users';
import { freePort } from '../mock-server/real-prometheus';
import { testServer, type TestServer } from '../mock-server/test-server';

let server: TestServer;
let faultlineUrl: string;
const keys: Record<string, string> = {};
const running: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  server = await testServer();
  faultlineUrl = await server.app.listen({ port: 0, host: '127.0.0.1' });
  for (const environment of ENVIRONMENTS) keys[environment] = await server.ofrepKey(environment);
});
afterEach(async () => {
  for (const item of running.splice(0).reverse()) await item.close();
});
afterAll(async () => {
  await OpenFeature.close();
  await server.app.close();
});

let instances = 0;
/** A shop instance on free ports; its pricing deadline generous unless a test says otherwise. */
async function shop(overrides: Partial<ShopOptions> = {}): Promise<RunningShop> {
  instances += 1;
  const environment = overrides.environment ?? 'staging';
  const started = await startShop({
    instance: `shop-t${instances}`,
    service: 'checkout',
    environment,
    port: 0,
    appPort: 0,
    faultlineUrl,
    flagsKey: keys[environment] ?? '',
    fallbackNewCheckout: false,
    flagTimeoutMs: 2_000,
    costs: { ...DEFAULT_COSTS, newPricingDeadlineMs: 60_000 },
    ...overrides,
  });
  running.push(started);
  return started;
}

const employee: ShopUser = {
  id: 'emp-1',
  email: 'ana.1@faultline.dev',
  country: 'US',
  company: 'Faultline',
};
const smallCart: CartLine[] = [{ sku: 'mug', priceCents: 1_200, quantity: 2 }];
const multiBuyCart: CartLine[] = Array.from({ length: MULTI_BUY_LINES }, (_, i) => ({
  sku: `item-${i}`,
  priceCents: 1_000,
  quantity: 1,
}));

async function checkout(
  port: number,
  cart: CartLine[],
  user: ShopUser = employee,
): Promise<{ status: number; body: { checkout?: string; totalCents?: number; error?: string } }> {
  const response = await fetch(`http://127.0.0.1:${port}/checkout`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user, cart }),
  });
  return { status: response.status, body: (await response.json()) as { checkout?: string } };
}

async function metricsOf(port: number): Promise<string> {
  return (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
}

/** The value of the one series whose line contains every one of `parts`, or 0 when none. */
function sample(text: string, name: string, parts: string[]): number {
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`${name}{`) && parts.every((part) => l.includes(part)));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

describe('the sample checkout service', () => {
  it('exports the conventional metrics with its instance, service and environment labels', async () => {
    const running = await shop({ instance: 'shop-metrics' });
    expect((await checkout(running.port, smallCart)).status).toBe(200);
    const text = await metricsOf(running.port);
    const labels = ['instance="shop-metrics"', 'service="checkout"', 'environment="staging"'];
    expect(sample(text, 'http_requests_total', [...labels, 'code="200"'])).toBe(1);
    expect(
      sample(text, 'http_request_duration_seconds_bucket', [...labels, 'le="+Inf"', 'code="200"']),
    ).toBe(1);
    expect(text).toMatch(/^process_cpu_seconds_total\{[^}]*instance="shop-metrics"[^}]*\} \d/m);
    expect(text).toMatch(/^process_resident_memory_bytes\{[^}]*instance="shop-metrics"[^}]*\} \d/m);
  });

  it('reads new-checkout through the OFREP provider: an employee gets the new path in staging', async () => {
    const running = await shop();
    const answer = await checkout(running.port, smallCart, employee);
    expect(answer).toMatchObject({ status: 200, body: { checkout: 'new', totalCents: 2_400 } });
    const text = await metricsOf(running.port);
    expect(
      sample(text, 'feature_flag_evaluations_total', [
        'flag="new-checkout"',
        'variant="on"',
        'reason="TARGETING_MATCH"',
      ]),
    ).toBe(1);
  });

  it('follows the flag as Faultline changes it: turned off in staging, everyone gets the classic path', async () => {
    const running = await shop();
    const killed = await server.call('POST', '/api/v1/flags/new-checkout/kill', {
      as: 'ada-admin',
      body: { environment: 'staging' },
    });
    expect(killed.statusCode).toBe(200);
    try {
      const answer = await checkout(running.port, smallCart, employee);
      expect(answer.body.checkout).toBe('classic');
      const text = await metricsOf(running.port);
      expect(
        sample(text, 'feature_flag_evaluations_total', ['variant="off"', 'reason="DISABLED"']),
      ).toBe(1);
    } finally {
      await server.call('POST', '/api/v1/flags/new-checkout/enable', {
        as: 'ada-admin',
        body: { environment: 'staging' },
      });
    }
  });

  it('serves its fallback value, counted as reason ERROR, when Faultline is unreachable', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const off = await shop({ faultlineUrl: closed, fallbackNewCheckout: false });
    expect((await checkout(off.port, smallCart)).body.checkout).toBe('classic');
    const on = await shop({ faultlineUrl: closed, fallbackNewCheckout: true });
    expect((await checkout(on.port, smallCart)).body.checkout).toBe('new');
    const text = await metricsOf(off.port);
    expect(
      sample(text, 'feature_flag_evaluations_total', ['variant="fallback"', 'reason="ERROR"']),
    ).toBe(1);
  });

  it('serves its fallback value when Faultline answers too slowly', async () => {
    // A flag service that accepts every request and never answers.
    const silent = http.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    running.push({
      close: () =>
        new Promise<void>((resolve) => {
          silent.closeAllConnections();
          silent.close(() => resolve());
        }),
    });
    const { port } = silent.address() as AddressInfo;
    const running200 = await shop({
      faultlineUrl: `http://127.0.0.1:${port}`,
      flagTimeoutMs: 200,
      fallbackNewCheckout: false,
    });
    expect(await checkout(running200.port, smallCart)).toMatchObject({
      status: 200,
      body: { checkout: 'classic' },
    });
    const text = await metricsOf(running200.port);
    expect(sample(text, 'feature_flag_evaluations_total', ['reason="ERROR"'])).toBe(1);
  });

  it('shows the new checkout defect as 5xx: every multi-buy cart is refused on the new path only', async () => {
    // development serves new-checkout to everyone.
    const onForAll = await shop({ environment: 'development' });
    const classic = await shop({ faultlineUrl: `http://127.0.0.1:${await freePort()}` });
    for (let i = 0; i < 5; i++) {
      expect(await checkout(onForAll.port, multiBuyCart)).toMatchObject({
        status: 500,
        body: { checkout: 'new', error: expect.stringContaining('payment refused') },
      });
      expect(await checkout(onForAll.port, smallCart)).toMatchObject({ status: 200 });
      expect(await checkout(classic.port, multiBuyCart)).toMatchObject({
        status: 200,
        body: { checkout: 'classic', totalCents: 4_500 },
      });
    }
    const text = await metricsOf(onForAll.port);
    expect(sample(text, 'http_requests_total', ['code="500"'])).toBe(5);
    expect(sample(text, 'http_requests_total', ['code="200"'])).toBe(5);
    expect(sample(await metricsOf(classic.port), 'http_requests_total', ['code="500"'])).toBe(0);
  });

  it('labels its series with its identity only, never its options (the OFREP key, ports)', async () => {
    const running = await shop({ instance: 'shop-labels' });
    await checkout(running.port, smallCart);
    const text = await metricsOf(running.port);
    const line = text.split('\n').find((l) => l.startsWith('http_requests_total{')) ?? '';
    const labels = [...line.matchAll(/(\w+)="/g)].map((m) => m[1]).sort();
    expect(labels).toEqual([
      'code',
      'environment',
      'flag_new_checkout',
      'instance',
      'method',
      'route',
      'service',
      'version',
    ]);
    expect(line).toContain('version="stable"');
    expect(text).not.toContain(keys.staging);
  });

  it('labels each request with the variant of new-checkout it was served, for a guarded rollout', async () => {
    // development serves new-checkout to everyone; Faultline out of reach falls back to off.
    const onForAll = await shop({ environment: 'development' });
    const fallback = await shop({ faultlineUrl: `http://127.0.0.1:${await freePort()}` });
    await checkout(onForAll.port, smallCart);
    await checkout(fallback.port, smallCart);
    expect(
      sample(await metricsOf(onForAll.port), 'http_requests_total', ['flag_new_checkout="on"']),
    ).toBe(1);
    expect(
      sample(await metricsOf(fallback.port), 'http_requests_total', [
        'flag_new_checkout="fallback"',
      ]),
    ).toBe(1);
  });

  it('as the canary build, takes the new path for everyone, flag or not, labelled version=canary', async () => {
    // Faultline out of reach: the flag falls back to off, which the canary build ignores.
    const unreachable = `http://127.0.0.1:${await freePort()}`;
    const canary = await shop({ version: 'canary', faultlineUrl: unreachable });
    const stable = await shop({ faultlineUrl: unreachable });
    expect(await checkout(canary.port, multiBuyCart)).toMatchObject({
      status: 500,
      body: { checkout: 'new' },
    });
    expect(await checkout(stable.port, multiBuyCart)).toMatchObject({
      status: 200,
      body: { checkout: 'classic' },
    });
    const text = await metricsOf(canary.port);
    expect(sample(text, 'http_requests_total', ['version="canary"', 'code="500"'])).toBe(1);
  });

  it('gives up pricing on the new path (503) when it takes longer than its deadline', async () => {
    const running = await shop({
      environment: 'development',
      costs: { ...DEFAULT_COSTS, newPricingDeadlineMs: 0 },
    });
    expect(await checkout(running.port, smallCart)).toMatchObject({
      status: 503,
      body: { error: 'pricing timed out' },
    });
  });

  it('counts what a fault proxy between its edge and its app injects, as users see it', async () => {
    const proxyPort = await freePort();
    const proxied = await shop({ upstreamPort: proxyPort, instance: 'shop-proxied' });
    const proxy = new FaultProxy(proxied.appPort);
    await proxy.listen(proxyPort);
    running.push(proxy);
    const faults = { latencyMs: 0, errorPercent: 0, errorStatus: 500, dropPercent: 0 };
    proxy.set({ ...faults, errorPercent: 100 });
    expect((await checkout(proxied.port, smallCart)).status).toBe(500);
    proxy.set({ ...faults, dropPercent: 100 });
    expect((await checkout(proxied.port, smallCart)).status).toBe(502);
    proxy.set(faults);
    expect((await checkout(proxied.port, smallCart)).status).toBe(200);
    const text = await metricsOf(proxied.port);
    expect(sample(text, 'http_requests_total', ['code="500"'])).toBe(1);
    expect(sample(text, 'http_requests_total', ['code="502"'])).toBe(1);
    expect(sample(text, 'http_requests_total', ['code="200"'])).toBe(1);
  });

  it('answers about the share asked 429 through a fault proxy, in the edge\'s code="429" count', async () => {
    const proxyPort = await freePort();
    const proxied = await shop({ upstreamPort: proxyPort, instance: 'shop-limited' });
    const proxy = new FaultProxy(proxied.appPort);
    await proxy.listen(proxyPort);
    running.push(proxy);
    // What the agent sets for a rate-limit experiment at 30 %: the proxy's error share, as 429.
    proxy.set({ latencyMs: 0, errorPercent: 30, errorStatus: 429, dropPercent: 0 });
    const requests = 400;
    const answers: number[] = [];
    for (let i = 0; i < requests; i += 1)
      answers.push((await checkout(proxied.port, smallCart)).status);
    const limited = answers.filter((status) => status === 429).length;
    expect(answers.filter((status) => status !== 429 && status !== 200)).toEqual([]);
    // Binomial, 400 draws at 30 %: the standard deviation is 2.3 points; 4 of them either side.
    expect((limited / requests) * 100).toBeGreaterThan(20.8);
    expect((limited / requests) * 100).toBeLessThan(39.2);
    const text = await metricsOf(proxied.port);
    expect(sample(text, 'http_requests_total', ['code="429"'])).toBe(limited);
    expect(sample(text, 'http_requests_total', ['code="200"'])).toBe(requests - limited);
  });

  it('refuses a malformed checkout with the field at fault', async () => {
    const running = await shop();
    const response = await fetch(`http://127.0.0.1:${running.port}/checkout`, {
      method: 'POST',
      body: JSON.stringify({ user: employee, cart: [] }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: expect.stringContaining('cart') });
  });
});
