import {
  ENVIRONMENTS,
  activeInjections,
  affectedInstanceIds,
  type Environment,
  type Experiment,
  type Fleet,
  type Instance,
  type MetricSample,
} from '../../src/domain';
import type { Random } from '../random';
import { aggregate } from './aggregate';
import { MetricHistory } from './history';
import {
  NO_FAULTS,
  addInjection,
  measureContainer,
  type ContainerReading,
  type Faults,
} from './physics';
import { SERVICE_PROFILES, STAGE_SIZE, buildFleet, type ServiceProfile } from './topology';
import type { TrafficSplitter } from './traffic-split';
import { buildUsers, type SimulatedUser } from './users';

/** Traffic swells and ebbs by ±8 % over this period, in ms, so charts are alive without any fault. */
const TRAFFIC_WAVE_MS = 15 * 60_000;

export interface Simulation {
  readonly fleet: Fleet;
  readonly users: readonly SimulatedUser[];
  readonly history: MetricHistory;
  instancesOf(service: string, environment: Environment): Instance[];
  hasService(service: string): boolean;
  /** Measures every service × environment at `now` under the experiments' injections, and records it. */
  tick(now: number, experiments: readonly Experiment[]): MetricSample[];
  /** The same measurement, not recorded. */
  measure(now: number, experiments: readonly Experiment[]): MetricSample[];
  /** The samples of the last tick. */
  latest(): readonly MetricSample[];
  setTrafficSplitter(splitter: TrafficSplitter | null): void;
}

export function createSimulation(options: { random: Random; tickMs: number }): Simulation {
  const { random } = options;
  const fleet = buildFleet();
  const users = buildUsers(random);
  const history = new MetricHistory(options.tickMs);
  const byServiceEnvironment = new Map<string, Instance[]>();
  for (const instance of fleet.instances) {
    const key = `${instance.service}|${instance.environment}`;
    byServiceEnvironment.set(key, [...(byServiceEnvironment.get(key) ?? []), instance]);
  }
  const instancesOf = (service: string, environment: Environment) =>
    byServiceEnvironment.get(`${service}|${environment}`) ?? [];
  const noise = () => random.next() * 2 - 1;
  let splitter: TrafficSplitter | null = null;
  let latest: MetricSample[] = [];

  function measureService(
    profile: ServiceProfile,
    environment: Environment,
    now: number,
    experiments: readonly Experiment[],
  ): MetricSample[] {
    const service = profile.service.name;
    const instances = instancesOf(service, environment);
    const containers = instances.filter((i) => i.kind === 'container');
    const mine = experiments.filter(
      (e) =>
        e.service === service && e.environment === environment && e.state === 'running' && e.run,
    );

    const faults = new Map<string, Faults>();
    for (const experiment of mine) {
      for (const injection of activeInjections(experiment, now)) {
        const target = instances.find((i) => i.id === injection.instanceId);
        if (!target) continue;
        for (const id of affectedInstanceIds([target], instances)) {
          faults.set(id, addInjection(faults.get(id) ?? NO_FAULTS, injection));
        }
      }
    }

    const wave = 1 + 0.08 * Math.sin((2 * Math.PI * now) / TRAFFIC_WAVE_MS);
    const total =
      profile.productionRps * STAGE_SIZE[environment].trafficShare * wave * (1 + 0.03 * noise());
    const split = splitter?.(service, environment) ?? null;
    const requestsOf = distributeTraffic(containers, faults, total, split);
    const normalShare = total / Math.max(1, containers.length);

    const readings = new Map<string, ContainerReading>();
    const serviceDown = containers.every((c) => faults.get(c.id)?.down);
    for (const container of containers) {
      const requests = requestsOf.get(container.id) ?? 0;
      const defect =
        split?.defect && split.hostIds.has(container.hostId) ? split.defect : undefined;
      readings.set(
        container.id,
        serviceDown
          ? unavailable(requests)
          : measureContainer(
              profile,
              { requests, loadFactor: requests / normalShare },
              faults.get(container.id) ?? NO_FAULTS,
              noise,
              defect,
            ),
      );
    }

    const group = (ids: Iterable<string>) => [...ids].flatMap((id) => readings.get(id) ?? []);
    const base = { t: now, service, environment };
    const samples: MetricSample[] = [
      { ...base, group: 'all', values: aggregate([...readings.values()]) },
    ];
    if (split) {
      const on = containers.filter((c) => split.hostIds.has(c.hostId)).map((c) => c.id);
      const off = containers.filter((c) => !split.hostIds.has(c.hostId)).map((c) => c.id);
      if (on.length)
        samples.push({ ...base, group: 'all', cohort: 'on', values: aggregate(group(on)) });
      if (off.length)
        samples.push({ ...base, group: 'all', cohort: 'off', values: aggregate(group(off)) });
    }
    for (const experiment of mine) {
      const targetIds = new Set(
        [
          ...affectedInstanceIds(
            instances.filter((i) => experiment.run?.targets.includes(i.id)),
            instances,
          ),
        ].filter((id) => readings.has(id)),
      );
      // Inherited from the flag that splits this traffic: the target is the whole on-cohort (which holds what it hits).
      const source = experiment.blastRadius.source;
      if (split && source.kind === 'flag' && source.flagKey === split.flagKey) {
        for (const container of containers)
          if (split.hostIds.has(container.hostId)) targetIds.add(container.id);
      }
      const controlIds = containers.map((c) => c.id).filter((id) => !targetIds.has(id));
      const tagged = { ...base, experimentId: experiment.id };
      if (targetIds.size)
        samples.push({ ...tagged, group: 'target', values: aggregate(group(targetIds)) });
      if (controlIds.length)
        samples.push({ ...tagged, group: 'control', values: aggregate(group(controlIds)) });
    }
    return samples;
  }

  function measure(now: number, experiments: readonly Experiment[]): MetricSample[] {
    return SERVICE_PROFILES.flatMap((profile) =>
      ENVIRONMENTS.flatMap((environment) => measureService(profile, environment, now, experiments)),
    );
  }

  return {
    fleet,
    users,
    history,
    instancesOf,
    hasService: (service) => SERVICE_PROFILES.some((p) => p.service.name === service),
    measure,
    tick(now, experiments) {
      latest = measure(now, experiments);
      history.record(latest, now);
      return latest;
    },
    latest: () => latest,
    setTrafficSplitter(next) {
      splitter = next;
    },
  };
}

/** With every container down the load balancer answers each request 503 at once. */
function unavailable(requests: number): ContainerReading {
  return {
    up: true,
    requests,
    cpu: 0,
    memory: 0,
    latencyP99: 2,
    rate4xx: 0,
    rate5xx: 100,
    errorRate: 100,
  };
}

/**
 * Spreads `total` requests per second over the containers that are up: the ones shut down get none
 * and the rest take their load. A cohort split sends its on-share to the reserved hosts only.
 */
function distributeTraffic(
  containers: readonly Instance[],
  faults: ReadonlyMap<string, Faults>,
  total: number,
  split: { onShare: number; hostIds: ReadonlySet<string> } | null,
): Map<string, number> {
  const up = containers.filter((c) => !faults.get(c.id)?.down);
  const requests = new Map<string, number>();
  if (up.length === 0) {
    for (const c of containers) requests.set(c.id, total / Math.max(1, containers.length));
    return requests;
  }
  const on = split ? up.filter((c) => split.hostIds.has(c.hostId)) : [];
  const off = split ? up.filter((c) => !split.hostIds.has(c.hostId)) : up;
  if (!split || on.length === 0 || off.length === 0) {
    for (const c of up) requests.set(c.id, total / up.length);
    return requests;
  }
  const onShare = Math.min(1, Math.max(0, split.onShare));
  for (const c of on) requests.set(c.id, (total * onShare) / on.length);
  for (const c of off) requests.set(c.id, (total * (1 - onShare)) / off.length);
  return requests;
}
