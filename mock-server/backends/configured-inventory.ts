import type { Environment, Instance, Service } from '../../src/domain';
import type { EnvironmentBackendConfig } from './backends-config';
import type { TargetInventory } from './seams';

/** A real environment's fleet as the configuration lists it; `metricsInstance` maps ids to Prometheus. */
interface ConfiguredFleet {
  services: Service[];
  instances: Instance[];
  /** Instance id → the value of the instance label in Prometheus. */
  metricsInstance: ReadonlyMap<string, string>;
}

export function configuredFleet(
  environment: Environment,
  config: EnvironmentBackendConfig,
): ConfiguredFleet {
  const instances = config.fleet.instances.map((i): Instance => ({
    id: i.id,
    kind: i.kind,
    service: i.service,
    environment,
    hostId: i.hostId ?? i.id,
    labels: i.labels,
  }));
  return {
    services: config.fleet.services.map((s) => ({ name: s.name, description: s.description })),
    instances,
    metricsInstance: new Map(config.fleet.instances.map((i) => [i.id, i.metricsInstance ?? i.id])),
  };
}

/**
 * The inventory of one configured environment. A real service evaluates its flags per
 * request, so every one of its hosts serves a flag's cohort; its canary is what carries the
 * label version=canary. It knows no users of its own (cohorts are counted on the embedded ones).
 */
export function configuredInventory(fleet: ConfiguredFleet): TargetInventory {
  const of = (service: string, environment: Environment) =>
    fleet.instances.filter((i) => i.service === service && i.environment === environment);
  return {
    fleet: () => ({ services: fleet.services, instances: fleet.instances }),
    hasService: (service) => fleet.services.some((s) => s.name === service),
    instancesOf: of,
    canaryOf: (service, environment) =>
      of(service, environment).filter((i) => i.labels.version === 'canary'),
    cohortHosts: (service, environment) => new Set(of(service, environment).map((i) => i.hostId)),
    users: () => [],
  };
}
