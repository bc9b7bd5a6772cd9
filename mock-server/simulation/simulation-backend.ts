import type { Backend } from '../backends/seams';
import type { Simulation } from './simulation';
import { reserveHosts } from './traffic-split';

/** Why the simulated fleet has no flag evaluations to chart. */
export const SIMULATED_FLAG_EVALUATIONS =
  'The simulated fleet does not evaluate flags per request, so it has no evaluations to count. ' +
  'A service with an OpenFeature hook exporting feature_flag_evaluations_total, read through ' +
  'Prometheus, shows them here.';

/**
 * The simulation behind the three seams: it measures what the engine asks for when asked (so
 * it answers at once and a tick stays synchronous), keeps an hour of history, and applies
 * faults to its own fleet.
 */
export function simulationBackend(simulation: Simulation, tickMs: number): Backend {
  return {
    metrics: {
      latest: ({ now, experiments }) => ({
        samples: simulation.tick(now, experiments),
        gaps: [],
      }),
      window(query) {
        const recent = simulation.history.query(query);
        if (recent.length > 0) return { samples: recent };
        // Nothing recorded yet (a server that has just started): measure now, without recording.
        const now = query.until ?? (simulation.latest()[0]?.t ?? 0) + tickMs;
        const measured = simulation
          .measure(now, [])
          .filter(
            (s) =>
              s.group === query.group &&
              !s.cohort &&
              s.service === query.service &&
              s.environment === query.environment,
          );
        return { samples: measured };
      },
      history: (query) => simulation.history.query(query),
      // The simulated fleet routes a flag's cohorts by share; no simulated request evaluates a
      // flag, so there is nothing to count (and no number is made up).
      flagEvaluations: () => ({ series: [], unavailable: SIMULATED_FLAG_EVALUATIONS }),
    },
    inventory: {
      fleet: () => simulation.fleet,
      hasService: (service) => simulation.hasService(service),
      instancesOf: (service, environment) => simulation.instancesOf(service, environment),
      canaryOf: (service, environment) =>
        simulation.instancesOf(service, environment).filter((i) => i.labels.version === 'canary'),
      cohortHosts: (service, environment, onShare) =>
        reserveHosts(simulation.instancesOf(service, environment), onShare),
      users: () => simulation.users,
    },
    faults: {
      apply: (fault) => simulation.applyFault(fault),
      change: (fault) => simulation.applyFault(fault),
      remove: ({ experimentId }) => simulation.removeFault(experimentId),
    },
    traffic: {
      routeCohorts: (router) => simulation.setTrafficSplitter(router),
      routeCanaries: (router) => simulation.setCanaryRouter(router),
    },
    requestTotals: () => simulation.requestTotals(),
  };
}
