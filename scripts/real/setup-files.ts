import { stringify } from 'yaml';

export interface ShopInstance {
  name: string;
  /** Users' requests and /metrics. */
  port: number;
  /** The checkout app behind the agent's fault proxy. */
  appPort: number;
  /** The agent's fault proxy, between the edge and the app. */
  proxyPort: number;
}

export const SHOP_SERVICE = 'checkout';

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
        static_configs: [{ targets: [faultline.host] }],
      },
    ],
  });
}

/**
 * The backends file (FAULTLINE_BACKENDS, docs/backends.md): `environment` reads its metrics
 * from this Prometheus; every other environment stays on the embedded simulation. Its fleet
 * lists no instances: the agent adds the shop's, named as their `instance` label.
 */
export function backendsConfig(environment: string, prometheusUrl: string): unknown {
  return {
    environments: {
      [environment]: {
        metrics: { kind: 'prometheus', url: prometheusUrl, evaluationIntervalMs: 1000 },
        fleet: {
          services: [{ name: SHOP_SERVICE, description: 'The sample checkout (examples/shop)' }],
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
