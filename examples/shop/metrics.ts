import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface ShopIdentity {
  /** The instance's name, e.g. shop-1: its `instance` label. */
  instance: string;
  service: string;
  environment: string;
  /** The build it runs: `stable`, or `canary` for the new version (its `version` label). */
  version: ShopVersion;
}

export type ShopVersion = 'stable' | 'canary';

/**
 * The label saying which variant of new-checkout a request was served (`flag_` and the flag key
 * with `_` for `-`), empty when no flag was read (the canary build, an answer from the fault
 * proxy): a guarded flag rollout reads flag on against flag off by it (docs/backends.md).
 */
export const NEW_CHECKOUT_LABEL = 'flag_new_checkout';
type RequestLabel = 'method' | 'route' | 'code' | typeof NEW_CHECKOUT_LABEL;

export interface ShopMetrics {
  registry: Registry;
  /** Requests answered, by method, route and status code. */
  requests: Counter<RequestLabel>;
  /** Time to answer, in seconds. */
  duration: Histogram<RequestLabel>;
  /** Flag evaluations by flag, variant and reason (from the OpenFeature hook). */
  flagEvaluations: Counter<'flag' | 'variant' | 'reason'>;
}

/**
 * The conventional metric names (what Prometheus' default templates read): requests with a
 * `code` label, a latency histogram in seconds, and prom-client's process metrics (CPU seconds,
 * resident memory). Every series carries the instance, service, environment and version labels,
 * so the scrape keeps them with `honor_labels`.
 */
export function shopMetrics(identity: ShopIdentity): ShopMetrics {
  const registry = new Registry();
  // These four and nothing else: the caller may hand over its whole options (ports, the OFREP
  // key), which must never become labels on every series.
  const { instance, service, environment, version } = identity;
  registry.setDefaultLabels({ instance, service, environment, version });
  collectDefaultMetrics({ register: registry });
  const labelNames = ['method', 'route', 'code', NEW_CHECKOUT_LABEL] as const;
  return {
    registry,
    requests: new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by status code',
      labelNames,
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time to answer an HTTP request, in seconds',
      labelNames,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    flagEvaluations: new Counter({
      name: 'feature_flag_evaluations_total',
      help: 'OpenFeature flag evaluations, by flag, variant and reason',
      labelNames: ['flag', 'variant', 'reason'] as const,
      registers: [registry],
    }),
  };
}
