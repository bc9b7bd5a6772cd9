import { afterEach, describe, expect, it } from 'vitest';
import { FaultProxy, NO_FAULTS } from '../../agent/fault-proxy';
import { get, seeded, startUpstream } from './helpers';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function proxied(random: () => number = seeded(7)) {
  const upstream = await startUpstream();
  const proxy = new FaultProxy(upstream.port, random);
  const port = await proxy.listen(0);
  closers.push(() => proxy.close(), upstream.close);
  return { upstream, proxy, port };
}

async function statuses(port: number, count: number) {
  const results: (number | 'dropped')[] = [];
  for (let i = 0; i < count; i += 1) results.push(await get(port));
  return results;
}

describe('the fault proxy', () => {
  it('forwards every request untouched while it holds no fault', async () => {
    const { upstream, port } = await proxied();
    const results = await statuses(port, 20);
    expect(results.every((status) => status === 200)).toBe(true);
    expect(upstream.requests()).toBe(20);
  });

  it('answers its error share per request, and the instance never sees those requests', async () => {
    const { upstream, proxy, port } = await proxied();
    proxy.set({ ...NO_FAULTS, errorPercent: 30, errorStatus: 503 });
    const results = await statuses(port, 200);
    const errors = results.filter((status) => status === 503).length;
    // 30 % of 200 is 60; a binomial's 5-sigma band is about ±32.
    expect(errors).toBeGreaterThan(28);
    expect(errors).toBeLessThan(92);
    expect(results.filter((status) => status === 200).length).toBe(200 - errors);
    expect(upstream.requests()).toBe(200 - errors);
    expect(proxy.counts.errored).toBe(errors);
  });

  it('answers 429 with a Retry-After header when the injected status is 429', async () => {
    const { proxy, port } = await proxied();
    proxy.set({ ...NO_FAULTS, errorPercent: 100, errorStatus: 429 });
    const response = await fetch(`http://127.0.0.1:${port}/`);
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('1');
  });

  it('drops its share of connections without an answer', async () => {
    const { upstream, proxy, port } = await proxied();
    proxy.set({ ...NO_FAULTS, dropPercent: 100 });
    expect(await statuses(port, 5)).toEqual(Array(5).fill('dropped'));
    expect(upstream.requests()).toBe(0);
  });

  it('holds each request for the added latency before forwarding it', async () => {
    const { upstream, proxy, port } = await proxied();
    proxy.set({ ...NO_FAULTS, latencyMs: 150 });
    const started = performance.now();
    expect(await get(port)).toBe(200);
    // A lower bound only: a timer never fires early, however loaded the machine is.
    expect(performance.now() - started).toBeGreaterThanOrEqual(150);
    expect(upstream.requests()).toBe(1);
    expect(proxy.counts.delayed).toBe(1);
  });

  it('stops injecting the moment its faults are cleared', async () => {
    const { proxy, port } = await proxied();
    proxy.set({ ...NO_FAULTS, errorPercent: 100 });
    expect(await get(port)).toBe(500);
    proxy.set(NO_FAULTS);
    const results = await statuses(port, 50);
    expect(results.every((status) => status === 200)).toBe(true);
  });

  it('answers 502 when the instance behind it is down', async () => {
    const { upstream, port } = await proxied();
    await upstream.close();
    expect(await get(port)).toBe(502);
  });
});
