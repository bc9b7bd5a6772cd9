import { stringify } from 'yaml';
import { CPU_WITH_AGENT_STRESS } from '../../mock-server/backends/prometheus/promql';

export interface ShopInstance {
  name: string;
  /** Users' requests and /metrics. */
  port: number;
  /** The checkout app behind the agent's fault proxy. */
  appPort: number;
  /** The agent's fault proxy, between the edge and the app. */
  proxyPort: number;
}

/** The service the shop's instances (and its canary) serve. */
export const SHOP_SERVICE = 'checkout';
/** The canary's instance name (SHOP_CANARY=1): its `instance` label and its id in the fleet. */
export const SHOP_CANARY = 'shop-canary';

/** Prometheus scraping every shop instance and Faultline itself each second. */
export function prometheusConfig(shops: readonly ShopInstance[], faultline: URL): string {
  return stringify({
    global: { scrape_interval: '1s', evaluation_interval: '1s', scrape_timeout: '900ms' },
    scrape_configs: [
      {
        job_name: 'shop',
        // The shop labels its own series (instance, service, environment): keep them.
        honor_labels: true,
        static_configs: [{ targets: shops.map((shop) => `127.0.0.1:${shop.port}`) }],
      },
      {
        job_name: 'faultline',
        // Its agents' stress CPU series name the shop's instance: keep that label too.
        honor_labels: true,
        static_configs: [{ targets: [faultline.host] }],
      },
    ],
  });
}

/**
 * The backends file (FAULTLINE_BACKENDS, docs/backends.md): `environment` reads its metrics
 * from this Prometheus; every other environment stays on the embedded simulation. The agent
 * adds the shop's instances, named as their `instance` label; the fleet lists only the canary,
 * when there is one (no agent injects faults on it: it is there to be rolled out, or back).
 */
export function backendsConfig(
  environment: string,
  prometheusUrl: string,
  options: { canary?: boolean } = {},
): unknown {
  return {
    environments: {
      [environment]: {
        metrics: {
          kind: 'prometheus',
          url: prometheusUrl,
          evaluationIntervalMs: 1000,
          // A shop's CPU includes what the agent's stress-ng burns against it.
          queries: { cpu: CPU_WITH_AGENT_STRESS },
        },
        fleet: {
          services: [{ name: SHOP_SERVICE, description: 'The sample checkout (examples/shop)' }],
          ...(options.canary
            ? {
                instances: [
                  { id: SHOP_CANARY, service: SHOP_SERVICE, labels: { version: 'canary' } },
                ],
              }
            : {}),
        },
      },
    },
  };
}

/** The agent's targets: each shop process, with its fault proxy in front of the app port. */
export function agentTargets(
  environment: string,
  shops: readonly (ShopInstance & { pid: number })[],
): unknown {
  return {
    targets: shops.map((shop) => ({
      name: shop.name,
      service: SHOP_SERVICE,
      environment,
      labels: { zone: 'local' },
      process: { pid: shop.pid },
      http: { port: shop.appPort, proxyPort: shop.proxyPort },
    })),
  };
}
