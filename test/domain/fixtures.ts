import type { Experiment, ExperimentSpec, Instance } from '../../src/domain';

/** A service of `hosts` hosts over zones a/b/c, each host with `containersPerHost` containers. */
export function makeInstances(hosts: number, containersPerHost = 3): Instance[] {
  const instances: Instance[] = [];
  for (let h = 0; h < hosts; h++) {
    const zone = ['a', 'b', 'c'][h % 3] ?? 'a';
    const hostId = `checkout-staging-h${h}`;
    const labels = { zone, version: h === 0 ? 'canary' : 'stable' };
    instances.push({
      id: hostId,
      kind: 'host',
      service: 'checkout',
      environment: 'staging',
      hostId,
      labels,
    });
    for (let c = 0; c < containersPerHost; c++) {
      instances.push({
        id: `${hostId}-c${c}`,
        kind: 'container',
        service: 'checkout',
        environment: 'staging',
        hostId,
        labels,
      });
    }
  }
  return instances;
}

export function cpuSpec(overrides: Partial<ExperimentSpec> = {}): ExperimentSpec {
  return {
    name: 'CPU pressure on checkout',
    hypothesis:
      'Checkout keeps its 5xx rate under 1 % while a quarter of its containers are CPU-starved.',
    notes: '',
    environment: 'staging',
    service: 'checkout',
    blastRadius: {
      scope: 'containers',
      selector: {},
      mode: 'percent',
      value: 25,
      source: { kind: 'selector' },
    },
    attack: { type: 'cpu' },
    steps: [
      { magnitude: 50, durationSeconds: 120 },
      { magnitude: 60, durationSeconds: 120 },
    ],
    abortConditions: [
      {
        kind: 'threshold',
        metric: 'http_5xx_rate',
        comparator: '>',
        threshold: 1,
        windowSeconds: 10,
        scope: 'target',
      },
      { kind: 'rising', metric: 'error_rate', delta: 2, windowSeconds: 30, scope: 'target' },
    ],
    ...overrides,
  };
}

export function runningExperiment(
  spec: ExperimentSpec,
  startedAt: number,
  targets: string[],
): Experiment {
  return {
    ...spec,
    id: 'exp-1',
    lineageId: 'exp-1',
    state: 'running',
    version: 2,
    createdAt: startedAt - 1000,
    updatedAt: startedAt,
    createdBy: 'sam-sre',
    run: {
      startedAt,
      startedBy: 'sam-sre',
      targets,
      matchingCount: targets.length,
      stepIndex: 0,
      endedAt: null,
      outcome: null,
    },
  };
}
