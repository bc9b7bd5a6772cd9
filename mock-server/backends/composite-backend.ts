import type { Environment } from '../../src/domain';
import type { MissingMetricsPolicy } from '../engine/engine-api';
import type { BackendsConfig } from './backends-config';
import { configuredFleet, configuredInventory } from './configured-inventory';
import { prometheusCohortRequests } from './prometheus/cohort-requests';
import { prometheusClient, type PrometheusClient } from './prometheus/prometheus-client';
import { prometheusSource } from './prometheus/prometheus-source';
import {
  isPromise,
  type Backend,
  type CanaryRouter,
  type CohortRouter,
  type ExperimentGroups,
  type FaultReport,
  type MetricsReading,
  type TargetInventory,
} from './seams';

interface CompositeOptions {
  /** A client per environment instead of HTTP to the configured URL (tests count calls). */
  client?: (environment: Environment) => PrometheusClient | undefined;
  /**
   * The inventory the engine sees in the end (with agents' targets added): a real environment's
   * target and control are read from it. Defaults to the composite's own.
   */
  inventory?: () => TargetInventory;
  /** An ended experiment's groups, for chart history of a run the source never saw. */
  experimentGroups?: (experimentId: string) => ExperimentGroups | undefined;
}

interface CompositeBackend {
  backend: Backend;
  /** How long a real environment's conditions may go unread, and what then; null: simulated. */
  missingMetrics: (environment: Environment) => MissingMetricsPolicy | null;
}

/**
 * The embedded backend for every environment, except those the configuration points at a
 * real one (Prometheus for metrics, a configured fleet for the inventory). A configured
 * instance has no fault injector of its own (agents' targets do, through `withAgents`): a
 * fault on one is reported as not applied.
 */
export function compositeBackend(
  embedded: Backend,
  config: BackendsConfig,
  options: CompositeOptions = {},
): CompositeBackend {
  const outer = () => options.inventory?.() ?? inventory;
  // A real service's load balancer weighs its canary itself; the route says only which hosts
  // run it while a rollout sends it traffic, so its analysis can read canary against stable.
  let canaryRouter: CanaryRouter | null = null;
  // Likewise a flag's cohorts: the service evaluates the flag per request and labels it.
  let cohortRouter: CohortRouter | null = null;
  const real = new Map(
    Object.entries(config.environments).flatMap(([name, envConfig]) => {
      if (!envConfig) return [];
      const environment = name as Environment;
      const fleet = configuredFleet(environment, envConfig);
      const client = options.client?.(environment);
      const metrics = prometheusSource({
        environment,
        config: envConfig.metrics,
        services: () => {
          const names = new Set(fleet.services.map((s) => s.name));
          for (const instance of outer().fleet().instances)
            if (instance.environment === environment) names.add(instance.service);
          return [...names];
        },
        instancesOf: (service) => outer().instancesOf(service, environment),
        canaryHosts: (service) => canaryRouter?.(service, environment)?.hostIds ?? null,
        cohortFlag: (service) => {
          const split = cohortRouter?.(service, environment);
          return split ? { flagKey: split.flagKey, offVariant: split.offVariant ?? 'off' } : null;
        },
        metricsInstance: fleet.metricsInstance,
        ...(options.experimentGroups ? { experimentGroups: options.experimentGroups } : {}),
        ...(client ? { client } : {}),
      });
      const cohortRequests = prometheusCohortRequests({
        environment,
        config: envConfig.metrics,
        client:
          client ??
          prometheusClient({
            url: envConfig.metrics.url,
            timeoutMs: envConfig.metrics.queryTimeoutMs,
          }),
      });
      return [
        [
          environment,
          { config: envConfig, inventory: configuredInventory(fleet), metrics, cohortRequests },
        ],
      ] as const;
    }),
  );
  const isReal = (environment: Environment) => real.has(environment);
  const inventoryOf = (environment: Environment): TargetInventory =>
    real.get(environment)?.inventory ?? embedded.inventory;
  const metricsOf = (environment: Environment) =>
    real.get(environment)?.metrics ?? embedded.metrics;

  const inventory: TargetInventory = {
    fleet() {
      const own = embedded.inventory.fleet();
      const instances = own.instances.filter((i) => !isReal(i.environment));
      const services = new Map(
        own.services
          .filter((s) => instances.some((i) => i.service === s.name))
          .map((s) => [s.name, s]),
      );
      for (const { inventory: configured } of real.values()) {
        const fleet = configured.fleet();
        for (const service of fleet.services) services.set(service.name, service);
        instances.push(...fleet.instances);
      }
      return { services: [...services.values()], instances };
    },
    hasService: (service) =>
      embedded.inventory.hasService(service) ||
      [...real.values()].some((r) => r.inventory.hasService(service)),
    instancesOf: (service, environment) =>
      inventoryOf(environment).instancesOf(service, environment),
    canaryOf: (service, environment) => inventoryOf(environment).canaryOf(service, environment),
    cohortHosts: (service, environment, onShare) =>
      inventoryOf(environment).cohortHosts(service, environment, onShare),
    users: () => embedded.inventory.users(),
  };

  const notInjected = (instanceIds: readonly string[], environment: Environment): FaultReport => ({
    done: [],
    failed: instanceIds.map((instanceId) => ({
      instanceId,
      reason: `no fault injector reaches this instance of ${environment} (run a Faultline agent on its host): nothing was applied`,
    })),
  });

  const merge = (embeddedReading: MetricsReading, others: MetricsReading[]): MetricsReading => ({
    samples: [
      ...embeddedReading.samples.filter((s) => !isReal(s.environment)),
      ...others.flatMap((r) => r.samples),
    ],
    gaps: [
      ...embeddedReading.gaps.filter((g) => !isReal(g.environment)),
      ...others.flatMap((r) => r.gaps),
    ],
  });

  const backend: Backend = {
    metrics: {
      latest(request) {
        const own = embedded.metrics.latest({
          ...request,
          experiments: request.experiments.filter((e) => !isReal(e.environment)),
        });
        const others = [...real.values()].map((r) => r.metrics.latest(request));
        if (!isPromise(own) && !others.some(isPromise))
          return merge(own, others as MetricsReading[]);
        return Promise.all([own, Promise.all(others)]).then(([o, rest]) => merge(o, rest));
      },
      window: (query) => metricsOf(query.environment).window(query),
      history: (query) => metricsOf(query.environment).history(query),
      flagEvaluations: (query) => metricsOf(query.environment).flagEvaluations(query),
      cohortRequests: (environment) => real.get(environment)?.cohortRequests ?? null,
    },
    inventory,
    faults: {
      apply: (fault) =>
        isReal(fault.environment)
          ? notInjected(fault.instanceIds, fault.environment)
          : embedded.faults.apply(fault),
      change: (fault) =>
        isReal(fault.environment)
          ? notInjected(fault.instanceIds, fault.environment)
          : embedded.faults.change(fault),
      // Removing what is not there is not an error: the simulation forgets the experiment.
      remove: (fault) => embedded.faults.remove(fault),
    },
    traffic: {
      routeCohorts: (router) => {
        cohortRouter = router;
        embedded.traffic?.routeCohorts(router);
      },
      routeCanaries: (router) => {
        canaryRouter = router;
        embedded.traffic?.routeCanaries(router);
      },
    },
    ...(embedded.requestTotals
      ? {
          requestTotals: () =>
            (embedded.requestTotals?.() ?? []).filter((t) => !isReal(t.sample.environment)),
        }
      : {}),
  };

  return {
    backend,
    missingMetrics: (environment) => {
      const metrics = real.get(environment)?.config.metrics;
      if (!metrics) return null;
      return {
        graceMs: metrics.graceEvaluations * metrics.evaluationIntervalMs,
        onMissing: metrics.onMissing,
      };
    },
  };
}
