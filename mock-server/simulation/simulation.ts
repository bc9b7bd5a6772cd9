import {
  ENVIRONMENTS,
  affectedInstanceIds,
  type Environment,
  type Fleet,
  type Instance,
  type MetricSample,
} from '../../src/domain';
import type {
  CanaryRouter,
  CohortRouter,
  ExperimentGroups,
  Fault,
  FaultReport,
} from '../backends/seams';
import type { Random } from '../random';
import { aggregate } from './aggregate';
import { MetricHistory } from './history';
import { RequestCounters, tallyOf, type RequestTotals } from './request-counters';
import {
  NO_FAULTS,
  addInjection,
  measureContainer,
  type ContainerReading,
  type Faults,
} from './physics';
import { SERVICE_PROFILES, STAGE_SIZE, buildFleet, type ServiceProfile } from './topology';
import { SAMPLE_CODE_PATH_DEFECTS, type CodePathDefect } from './traffic-split';
import { buildUsers, type SimulatedUser } from './users';

/** One group's sample and the container readings it was aggregated from. */
interface Measured {
  sample: MetricSample;
  readings: ContainerReading[];
}

/** Traffic swells and ebbs by ±8 % over this period, in ms, so charts are alive without any fault. */
const TRAFFIC_WAVE_MS = 15 * 60_000;

export interface Simulation {
  readonly fleet: Fleet;
  readonly users: readonly SimulatedUser[];
  readonly history: MetricHistory;
  instancesOf(service: string, environment: Environment): Instance[];
  hasService(service: string): boolean;
  /** Measures every service × environment at `now` under the faults in force, and records it. */
  tick(now: number, experiments: readonly ExperimentGroups[]): MetricSample[];
  /** The same measurement, not recorded. */
  measure(now: number, experiments: readonly ExperimentGroups[]): MetricSample[];
  /** The samples of the last tick. */
  latest(): readonly MetricSample[];
  /** Each series' request counters and latency histogram, cumulative over the ticks it has been in. */
  requestTotals(): readonly RequestTotals[];
  setTrafficSplitter(router: CohortRouter | null): void;
  /** Canary rollouts' routing; while one routes a service, flags' cohort splits of it wait. */
  setCanaryRouter(router: CanaryRouter | null): void;
  /** Puts an experiment's fault on its instances (or moves it to a new magnitude). */
  applyFault(fault: Fault): FaultReport;
  removeFault(experimentId: string): FaultReport;
}

export function createSimulation(options: {
  random: Random;
  tickMs: number;
  /** Defects hidden behind flags' new code paths (default: the sample fleet's). */
  codePathDefects?: readonly CodePathDefect[];
}): Simulation {
  const { random } = options;
  const defects = options.codePathDefects ?? SAMPLE_CODE_PATH_DEFECTS;
  const inForce = new Map<string, Fault>();
  const fleet = buildFleet();
  const users = buildUsers(random);
  const history = new MetricHistory(options.tickMs);
  const byServiceEnvironment = new Map<string, Instance[]>();
  for (const instance of fleet.instances) {
    const key = `${instance.service}|${instance.environment}`;
    byServiceEnvironment.set(key, [...(byServiceEnvironment.get(key) ?? []), instance]);
  }
  const fleetIds = new Set(fleet.instances.map((i) => i.id));
  const instancesOf = (service: string, environment: Environment) =>
    byServiceEnvironment.get(`${service}|${environment}`) ?? [];
  const noise = () => random.next() * 2 - 1;
  let splitter: CohortRouter | null = null;
  let canaryRouter: CanaryRouter | null = null;
  let latest: MetricSample[] = [];
  const requestCounters = new RequestCounters(options.tickMs);

  function measureService(
    profile: ServiceProfile,
    environment: Environment,
    now: number,
    experiments: readonly ExperimentGroups[],
  ): Measured[] {
    const service = profile.service.name;
    const instances = instancesOf(service, environment);
    const containers = instances.filter((i) => i.kind === 'container');
    const mine = experiments.filter((e) => e.service === service && e.environment === environment);

    const faults = new Map<string, Faults>();
    for (const fault of inForce.values()) {
      if (fault.service !== service || fault.environment !== environment) continue;
      for (const instanceId of fault.instanceIds) {
        const target = instances.find((i) => i.id === instanceId);
        if (!target) continue;
        const injection = { ...fault, instanceId };
        for (const id of affectedInstanceIds([target], instances)) {
          faults.set(id, addInjection(faults.get(id) ?? NO_FAULTS, injection));
        }
      }
    }

    const wave = 1 + 0.08 * Math.sin((2 * Math.PI * now) / TRAFFIC_WAVE_MS);
    const total =
      profile.productionRps * STAGE_SIZE[environment].trafficShare * wave * (1 + 0.03 * noise());
    // One routing per service: a canary rolling out routes its traffic by version, and a flag's
    // cohort split of the same service waits until it is done.
    const canary = canaryRouter?.(service, environment) ?? null;
    const routed = canary ? null : (splitter?.(service, environment) ?? null);
    const codeDefect =
      routed && defects.find((d) => d.flagKey === routed.flagKey && d.service === service);
    const split = routed && { ...routed, ...(codeDefect ? { defect: codeDefect } : {}) };
    // A new version (or a flag's new code path) carrying a defect fails on the hosts serving it.
    const carried = canary?.defect
      ? { defect: canary.defect, hostIds: canary.hostIds }
      : split?.rolloutDefect
        ? { defect: split.rolloutDefect, hostIds: split.hostIds }
        : null;
    if (carried) {
      const { fivexxPercent, addedLatencyMs } = carried.defect;
      for (const c of containers) {
        if (!carried.hostIds.has(c.hostId)) continue;
        const f = faults.get(c.id) ?? NO_FAULTS;
        faults.set(c.id, {
          ...f,
          latencyMs: f.latencyMs + addedLatencyMs,
          errorPercent: 100 - ((100 - f.errorPercent) * (100 - fivexxPercent)) / 100,
        });
      }
    }
    const requestsOf = distributeTraffic(
      containers,
      faults,
      total,
      split ?? (canary ? { onShare: canary.weight, hostIds: canary.hostIds } : null),
    );
    const normalShare = total / Math.max(1, containers.length);
    // A canary is scaled with its weight (as Argo Rollouts scales canary replicas), so each side's
    // containers carry their usual load: what differs between them is the version, not the load.
    const usualShare = (container: Instance) => {
      if (!canary) return normalShare;
      const onCanary = canary.hostIds.has(container.hostId);
      const side = containers.filter((c) => canary.hostIds.has(c.hostId) === onCanary).length;
      const weight = onCanary ? canary.weight : 1 - canary.weight;
      return Math.max(1e-9, (total * weight) / Math.max(1, side));
    };

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
              { requests, loadFactor: requests / usualShare(container) },
              faults.get(container.id) ?? NO_FAULTS,
              noise,
              defect,
            ),
      );
    }

    const group = (ids: Iterable<string>) => [...ids].flatMap((id) => readings.get(id) ?? []);
    const base = { t: now, service, environment };
    const measured: Measured[] = [];
    const push = (sample: Omit<MetricSample, 'values'>, members: ContainerReading[]) =>
      measured.push({ sample: { ...sample, values: aggregate(members) }, readings: members });
    push({ ...base, group: 'all' }, [...readings.values()]);
    if (split) {
      const on = containers.filter((c) => split.hostIds.has(c.hostId)).map((c) => c.id);
      const off = containers.filter((c) => !split.hostIds.has(c.hostId)).map((c) => c.id);
      if (on.length) push({ ...base, group: 'all', cohort: 'on' }, group(on));
      if (off.length) push({ ...base, group: 'all', cohort: 'off' }, group(off));
    }
    if (canary) {
      const onCanary = containers.filter((c) => canary.hostIds.has(c.hostId)).map((c) => c.id);
      const onStable = containers.filter((c) => !canary.hostIds.has(c.hostId)).map((c) => c.id);
      if (onCanary.length) push({ ...base, group: 'all', version: 'canary' }, group(onCanary));
      if (onStable.length) push({ ...base, group: 'all', version: 'stable' }, group(onStable));
    }
    for (const experiment of mine) {
      const targetIds = new Set(
        [
          ...affectedInstanceIds(
            instances.filter((i) => experiment.targetIds.includes(i.id)),
            instances,
          ),
        ].filter((id) => readings.has(id)),
      );
      // Inherited from the flag that splits this traffic: the target is the whole on-cohort (which holds what it hits).
      if (split && experiment.flagKey === split.flagKey) {
        for (const container of containers)
          if (split.hostIds.has(container.hostId)) targetIds.add(container.id);
      }
      // While a canary serves part of the service, the control is stable's: the canary's other
      // version would pass its defects (or its fixes) off as the target's baseline. A blast radius
      // on the canary is thus compared with stable.
      const controlIds = containers
        .filter((c) => !targetIds.has(c.id) && !canary?.hostIds.has(c.hostId))
        .map((c) => c.id);
      const tagged = { ...base, experimentId: experiment.experimentId };
      if (targetIds.size) push({ ...tagged, group: 'target' }, group(targetIds));
      if (controlIds.length) push({ ...tagged, group: 'control' }, group(controlIds));
    }
    return measured;
  }

  function measureAll(now: number, experiments: readonly ExperimentGroups[]): Measured[] {
    return SERVICE_PROFILES.flatMap((profile) =>
      ENVIRONMENTS.flatMap((environment) => measureService(profile, environment, now, experiments)),
    );
  }
  const measure = (now: number, experiments: readonly ExperimentGroups[]) =>
    measureAll(now, experiments).map((m) => m.sample);

  return {
    fleet,
    users,
    history,
    instancesOf,
    hasService: (service) => SERVICE_PROFILES.some((p) => p.service.name === service),
    measure,
    tick(now, experiments) {
      const measured = measureAll(now, experiments);
      latest = measured.map((m) => m.sample);
      history.record(latest, now);
      requestCounters.add(
        now,
        latest,
        measured.map((m) => tallyOf(m.readings)),
      );
      return latest;
    },
    requestTotals: () => requestCounters.all(),
    latest: () => latest,
    setTrafficSplitter(next) {
      splitter = next;
    },
    setCanaryRouter(next) {
      canaryRouter = next;
    },
    applyFault(fault) {
      inForce.set(fault.experimentId, fault);
      const known = new Set(fault.instanceIds.filter((id) => fleetIds.has(id)));
      return {
        done: [...known],
        failed: fault.instanceIds
          .filter((id) => !known.has(id))
          .map((instanceId) => ({ instanceId, reason: 'no such instance in the fleet' })),
      };
    },
    removeFault(experimentId) {
      const fault = inForce.get(experimentId);
      inForce.delete(experimentId);
      return { done: [...(fault?.instanceIds ?? [])], failed: [] };
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
    latencyLog: { mu: Math.log(2), sigma: 0.01 },
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
