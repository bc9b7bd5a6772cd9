import { FLAG_SERVICE, type Fleet } from '../../src/domain';
import {
  andThen,
  type Backend,
  type Fault,
  type FaultInjector,
  type FaultReport,
  type MaybePromise,
  type MetricsSource,
  type TargetInventory,
} from '../backends/seams';
import type { FlagServiceChaos } from './flag-service-chaos';

const isFlagService = (service: string) => service === FLAG_SERVICE;

/**
 * A backend with Faultline's own flag service added as a target: one instance per environment
 * (its OFREP endpoint), measured by the endpoint itself, and faulted by it (latency, errors,
 * an outage) on the same seams as every other fault, so halt, halt all, abort and recovery
 * reach it without knowing it is special. Everything else goes where it went.
 */
export function withFlagService(backend: Backend, chaos: FlagServiceChaos): Backend {
  const inner = backend.inventory;
  const ids = new Set(chaos.instances().map((instance) => instance.id));

  const inventory: TargetInventory = {
    ...inner,
    fleet(): Fleet {
      const fleet = inner.fleet();
      return {
        services: [
          ...fleet.services,
          {
            name: FLAG_SERVICE,
            description: "Faultline's own flag service: its OFREP endpoint, one per environment",
          },
        ],
        instances: [...fleet.instances, ...chaos.instances()],
      };
    },
    hasService: (service) => isFlagService(service) || inner.hasService(service),
    instancesOf: (service, environment) =>
      isFlagService(service)
        ? chaos.instances().filter((instance) => instance.environment === environment)
        : inner.instancesOf(service, environment),
    canaryOf: (service, environment) =>
      isFlagService(service) ? [] : inner.canaryOf(service, environment),
    cohortHosts: (service, environment, onShare) =>
      isFlagService(service) ? new Set() : inner.cohortHosts(service, environment, onShare),
  };

  const metrics: MetricsSource = {
    latest(request) {
      const ours = request.experiments.filter((groups) => isFlagService(groups.service));
      const theirs = request.experiments.filter((groups) => !isFlagService(groups.service));
      const reading = backend.metrics.latest({ ...request, experiments: theirs });
      // The endpoint measures itself: what another source says of it (a Prometheus that
      // never scraped it: a gap on every evaluation) is not about it.
      return andThen(reading, (read) => ({
        samples: [
          ...read.samples.filter((s) => !isFlagService(s.service)),
          ...chaos.measure(request.now, ours),
        ],
        gaps: read.gaps.filter((g) => !isFlagService(g.service)),
      }));
    },
    window(query) {
      if (!isFlagService(query.service)) return backend.metrics.window(query);
      const recorded = chaos.history(query);
      if (recorded.length > 0 || query.group !== 'all') return { samples: recorded };
      // Nothing measured yet (a server that has just started): read it now, without recording.
      return { samples: [chaos.peek(query.environment, query.until ?? Date.now())] };
    },
    history: (query) =>
      isFlagService(query.service) ? chaos.history(query) : backend.metrics.history(query),
    // The flag service's clients are every service of the environment: their evaluations.
    flagEvaluations: ({ service, ...query }) =>
      backend.metrics.flagEvaluations(
        service === undefined || isFlagService(service) ? query : { ...query, service },
      ),
    cohortRequests: (environment) => backend.metrics.cohortRequests?.(environment) ?? null,
  };

  /** Puts the fault on the flag service's instances; answers what it did with each. */
  function put(fault: Fault): FaultReport {
    const report: FaultReport = { done: [], failed: [] };
    for (const instanceId of fault.instanceIds) {
      const refused = chaos.apply(
        fault.experimentId,
        fault.environment,
        fault.attack,
        fault.magnitude,
      );
      if (refused) report.failed.push({ instanceId, reason: refused });
      else report.done.push(instanceId);
    }
    return report;
  }

  function route(
    fault: Pick<Fault, 'experimentId' | 'instanceIds'>,
    ours: (part: string[]) => FaultReport,
    theirs: (part: string[]) => MaybePromise<FaultReport>,
  ): MaybePromise<FaultReport> {
    const mine = fault.instanceIds.filter((id) => ids.has(id));
    const rest = fault.instanceIds.filter((id) => !ids.has(id));
    if (mine.length === 0) return theirs(rest);
    const done = ours(mine);
    if (rest.length === 0) return done;
    return andThen(theirs(rest), (other) => ({
      done: [...done.done, ...other.done],
      failed: [...done.failed, ...other.failed],
    }));
  }

  const faults: FaultInjector = {
    apply: (fault) =>
      route(
        fault,
        (part) => put({ ...fault, instanceIds: part }),
        (part) => backend.faults.apply({ ...fault, instanceIds: part }),
      ),
    change: (fault) =>
      route(
        fault,
        (part) => put({ ...fault, instanceIds: part }),
        (part) => backend.faults.change({ ...fault, instanceIds: part }),
      ),
    remove: (fault) =>
      route(
        fault,
        (part) => {
          chaos.remove(fault.experimentId);
          return { done: part, failed: [] };
        },
        (part) => backend.faults.remove({ ...fault, instanceIds: part }),
      ),
  };

  return { ...backend, inventory, metrics, faults };
}
