import { OpenFeature } from '@openfeature/server-sdk';
import { startShop, type RunningShop } from '../../examples/shop/shop';
import { runTraffic } from '../../examples/shop/traffic';
import type { ShopVersion } from '../../examples/shop/metrics';
import { parseBackendsConfig } from '../../mock-server/backends/backends-config';
import { systemClock } from '../../mock-server/clock';
import { flagSpecOf, type Flag } from '../../src/domain/flags';
import {
  freePort,
  startingAgainIfPortTaken,
  startPrometheus,
  type RunningPrometheus,
} from './real-prometheus';
import { testServer, type TestServer } from './test-server';

// The sample shop (examples/shop) on real parts: instances reading new-checkout from Faultline
// over OFREP, scraped every second by Debian's Prometheus, which Faultline reads for staging.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type ShopEnvironment = 'staging' | 'production';

export interface ShopInstance {
  id: string;
  /** Default `checkout`. */
  service?: string;
  /** Default `staging`; only staging's instances are in Faultline's fleet. */
  environment?: ShopEnvironment;
  /** The build it really runs (default `stable`). */
  build?: ShopVersion;
  /** The labels the fleet gives it, e.g. `{ version: 'canary' }`. */
  labels?: Record<string, string>;
  /** Where its edge forwards requests, e.g. an agent's fault proxy (default: its app). */
  upstreamPort?: number;
}

interface ShopFixtureOptions {
  shops: ShopInstance[];
  /** False when agents bring staging's instances: the fleet then lists services only. */
  fleetInstances?: boolean;
  /** Staging's PromQL templates in place of the defaults (backends file `metrics.queries`). */
  queries?: Record<string, string>;
  /** Prometheus scrapes Faultline's own /metrics too (what agents report, e.g. stress-ng CPU). */
  scrapeFaultline?: boolean;
  /** Simulated users from the start; without it, `startTraffic` starts them. */
  traffic?: TrafficLoad;
}

interface TrafficLoad {
  /** Requests per second over all shops. */
  ratePerSecond: number;
  /** Stops after this many requests (or 110 s). */
  maxRequests: number;
}

export interface ShopFixture {
  server: TestServer;
  prometheus: RunningPrometheus;
  shops: RunningShop[];
  faultlineUrl: string;
  /** One number from Prometheus, now or at `at` (s); undefined when no series matches. */
  query(promql: string, at?: number): Promise<number | undefined>;
  /** The 5xx share of `service`'s requests matching `matcher` over the last 10 s, in %. */
  fivexxShare(service: string, matcher: string): Promise<number>;
  /** Serves new-checkout to everyone in `environment` (default staging) with `variant`. */
  newCheckoutForEveryone(variant: string, environment?: ShopEnvironment): Promise<void>;
  /** Until Prometheus has every shop serving /checkout under traffic (at most 30 s). */
  everyShopServing(): Promise<void>;
  startTraffic(load: TrafficLoad): void;
  /** Stops the simulated users and waits for their last requests. */
  stopTraffic(): Promise<void>;
  /** Ends everything it started, each by its own handle, and removes Prometheus's data. */
  stop(): Promise<void>;
}

/**
 * Ports first: Prometheus scrapes the shops, Faultline reads Prometheus, the shops read their flag
 * from Faultline. New-checkout is off for everyone in the shops' environments before they start
 * (the classic path). Whatever fails on the way, what was started is ended before it throws; a
 * port taken between its probe and its listen starts it all again.
 */
export function startShopFixture(options: ShopFixtureOptions): Promise<ShopFixture> {
  return startingAgainIfPortTaken(() => startShopFixtureOnce(options));
}

async function startShopFixtureOnce(options: ShopFixtureOptions): Promise<ShopFixture> {
  const shops: RunningShop[] = [];
  let prometheus: RunningPrometheus | undefined;
  let server: TestServer | undefined;
  let traffic: { controller: AbortController; done: Promise<unknown> } | null = null;

  const stopTraffic = async () => {
    traffic?.controller.abort();
    await traffic?.done;
    traffic = null;
  };
  const stop = async () => {
    await stopTraffic();
    await prometheus?.stop();
    for (const shop of shops) await shop.close();
    await OpenFeature.close();
    await server?.app.close();
  };

  try {
    const ports = await Promise.all(options.shops.map(() => freePort()));
    const faultlinePort = options.scrapeFaultline ? await freePort() : 0;
    const scraped = options.scrapeFaultline ? [...ports, faultlinePort] : ports;
    prometheus = await startPrometheus([{ targets: scraped.map((port) => `127.0.0.1:${port}`) }], {
      honorLabels: true,
    });
    const staging = options.shops.filter((shop) => (shop.environment ?? 'staging') === 'staging');
    const services = [...new Set(options.shops.map((shop) => shop.service ?? 'checkout'))];
    server = await testServer({
      clock: systemClock,
      config: {
        backends: parseBackendsConfig({
          environments: {
            staging: {
              metrics: { url: prometheus.url, queries: options.queries ?? {} },
              fleet: {
                services: services.map((name) => ({ name })),
                ...(options.fleetInstances === false
                  ? {}
                  : {
                      instances: staging.map((shop) => ({
                        id: shop.id,
                        service: shop.service ?? 'checkout',
                        ...(shop.labels ? { labels: shop.labels } : {}),
                      })),
                    }),
              },
            },
          },
        }),
      },
    });
    const running = server;
    const faultlineUrl = await running.app.listen({ port: faultlinePort, host: '127.0.0.1' });

    const newCheckoutForEveryone = async (
      variant: string,
      environment: ShopEnvironment = 'staging',
    ) => {
      const flag = (await running.call('GET', '/api/v1/flags/new-checkout')).json() as Flag;
      const spec = flagSpecOf(flag);
      spec.environments[environment] = {
        state: 'on',
        rules: [{ name: 'Everyone', conditions: [], serve: { kind: 'variant', variant } }],
      };
      const response = await running.call('PUT', '/api/v1/flags/new-checkout', {
        as: 'ada-admin',
        body: { version: flag.version, spec },
      });
      if (response.statusCode !== 200)
        throw new Error(`new-checkout for everyone: ${response.statusCode} ${response.body}`);
    };
    const environments = [...new Set(options.shops.map((shop) => shop.environment ?? 'staging'))];
    for (const environment of environments) await newCheckoutForEveryone('off', environment);

    for (const [index, shop] of options.shops.entries()) {
      const environment = shop.environment ?? 'staging';
      shops.push(
        await startShop({
          instance: shop.id,
          service: shop.service ?? 'checkout',
          environment,
          version: shop.build ?? 'stable',
          port: ports[index] ?? 0,
          appPort: 0,
          ...(shop.upstreamPort === undefined ? {} : { upstreamPort: shop.upstreamPort }),
          faultlineUrl,
          flagsKey: await running.ofrepKey(environment),
          fallbackNewCheckout: false,
          flagTimeoutMs: 2_000,
        }),
      );
    }
    const started = prometheus;
    await started.ready();

    const query = async (promql: string, at?: number) => {
      const time = at === undefined ? '' : `time=${at}&`;
      const url = `${started.url}/api/v1/query?${time}query=${encodeURIComponent(promql)}`;
      const body = (await (await fetch(url)).json()) as {
        error?: string;
        data?: { result: { value: [number, string] }[] };
      };
      if (!body.data) throw new Error(`Prometheus refused ${promql}: ${body.error}`);
      const value = body.data.result[0]?.value[1];
      return value === undefined ? undefined : Number(value);
    };
    const startTraffic = (load: TrafficLoad) => {
      const controller = new AbortController();
      const done = runTraffic({
        targets: shops.map((shop) => `http://127.0.0.1:${shop.port}`),
        ratePerSecond: load.ratePerSecond,
        durationMs: 110_000,
        maxRequests: load.maxRequests,
        signal: controller.signal,
      });
      traffic = { controller, done };
    };
    if (options.traffic) startTraffic(options.traffic);

    return {
      server: running,
      prometheus: started,
      shops,
      faultlineUrl,
      query,
      async fivexxShare(service, matcher) {
        const share = await query(
          `100 * (sum(rate(http_requests_total{service="${service}",code=~"5..",${matcher}}[10s])) ` +
            `or vector(0)) / sum(rate(http_requests_total{service="${service}",${matcher}}[10s]))`,
        );
        return share ?? Number.NaN;
      },
      newCheckoutForEveryone,
      async everyShopServing() {
        for (let beat = 0; beat < 60; beat++) {
          const serving = await query(
            'count(sum by (instance) (rate(http_requests_total{route="/checkout"}[5s])) > 0)',
          );
          if ((serving ?? 0) >= shops.length) return;
          await sleep(500);
        }
      },
      startTraffic,
      stopTraffic,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
