import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../mock-server/random';
import { HISTORY_MS, MetricHistory } from '../../mock-server/simulation/history';
import { REQUEST_TIMEOUT_MS } from '../../mock-server/simulation/physics';
import { createSimulation, type Simulation } from '../../mock-server/simulation/simulation';
import { simulationBackend } from '../../mock-server/simulation/simulation-backend';
import { groupsOf } from '../../mock-server/engine/run-state';
import {
  ENVIRONMENTS,
  type AttackType,
  type Environment,
  type Experiment,
  type MetricSample,
} from '../../src/domain';
import { atOnce } from './at-once';
import { START } from './test-server';

const simulation = (seed = 1) => createSimulation({ random: seededRandom(seed), tickMs: 1000 });

/** A running experiment on the given containers of checkout in staging, one step of 10 min. */
function running(
  sim: Simulation,
  attack: AttackType,
  magnitude: number | undefined,
  targets: string[],
  environment: Environment = 'staging',
): Experiment {
  return {
    id: `exp-${attack}`,
    lineageId: `exp-${attack}`,
    name: attack,
    hypothesis: 'h',
    notes: '',
    environment,
    service: 'checkout',
    blastRadius: { scope: 'containers', selector: {}, mode: 'all', source: { kind: 'selector' } },
    attack: { type: attack },
    steps: [{ magnitude, durationSeconds: 600 }],
    abortConditions: [
      {
        kind: 'threshold',
        metric: 'cpu',
        comparator: '>',
        threshold: 99,
        windowSeconds: 0,
        scope: 'target',
      },
    ],
    state: 'running',
    version: 2,
    createdAt: START,
    updatedAt: START,
    createdBy: 'sam-sre',
    run: {
      startedAt: START,
      startedBy: 'sam-sre',
      targets: targets.length ? targets : containers(sim, environment),
      matchingCount: 0,
      stepIndex: 0,
      endedAt: null,
      outcome: null,
    },
  };
}

const containers = (sim: Simulation, environment: Environment = 'staging') =>
  sim
    .instancesOf('checkout', environment)
    .filter((i) => i.kind === 'container')
    .map((i) => i.id);

/**
 * One evaluation through the seams, as the engine does it: the running experiments' faults
 * applied by the fault injector, their target and control read from the metrics source.
 */
function read(sim: Simulation, experiments: Experiment[], now: number): MetricSample[] {
  const backend = simulationBackend(sim, 1000);
  const live = experiments.filter((e) => e.state === 'running' && e.run);
  for (const e of live)
    atOnce(
      backend.faults.apply({
        experimentId: e.id,
        service: e.service,
        environment: e.environment,
        attack: e.attack.type,
        magnitude: e.steps[0]?.magnitude,
        instanceIds: e.run?.targets ?? [],
      }),
    );
  const reading = atOnce(backend.metrics.latest({ now, experiments: live.map(groupsOf) }));
  for (const e of live) atOnce(backend.faults.remove({ experimentId: e.id, instanceIds: [] }));
  expect(reading.gaps).toEqual([]);
  return reading.samples;
}

/** Averages a group's values over `ticks` ticks. */
function average(
  sim: Simulation,
  experiments: Experiment[],
  pick: (samples: MetricSample[]) => MetricSample | undefined,
  ticks = 20,
) {
  const sums: Record<string, number> = {};
  for (let i = 1; i <= ticks; i++) {
    const sample = pick(read(sim, experiments, START + i * 1000));
    if (!sample) throw new Error('no such sample');
    for (const [k, v] of Object.entries(sample.values)) sums[k] = (sums[k] ?? 0) + v / ticks;
  }
  return sums as MetricSample['values'];
}

const group =
  (
    g: MetricSample['group'],
    id?: string,
    service = 'checkout',
    environment: Environment = 'staging',
  ) =>
  (samples: MetricSample[]) =>
    samples.find(
      (s) =>
        s.service === service &&
        s.environment === environment &&
        s.group === g &&
        s.experimentId === id &&
        !s.cohort,
    );

describe('the fleet simulation', () => {
  it('builds every service in every environment, production bigger than development, a canary host in staging and production', () => {
    const { fleet } = simulation();
    for (const service of ['checkout', 'payments', 'catalog', 'frontend']) {
      for (const environment of ENVIRONMENTS)
        expect(
          fleet.instances.some((i) => i.service === service && i.environment === environment),
        ).toBe(true);
    }
    const count = (environment: Environment) =>
      fleet.instances.filter((i) => i.service === 'checkout' && i.environment === environment)
        .length;
    expect(count('production')).toBeGreaterThan(count('development'));
    const canaryHosts = (environment: Environment) =>
      fleet.instances.filter(
        (i) =>
          i.environment === environment &&
          i.kind === 'host' &&
          i.labels.version === 'canary' &&
          i.service === 'checkout',
      );
    expect(canaryHosts('staging')).toHaveLength(1);
    expect(canaryHosts('production')).toHaveLength(1);
    expect(canaryHosts('development')).toHaveLength(0);
    expect(new Set(fleet.instances.map((i) => i.labels.zone))).toEqual(new Set(['a', 'b', 'c']));
    for (const container of fleet.instances.filter((i) => i.kind === 'container')) {
      expect(fleet.instances.find((h) => h.id === container.hostId)?.labels).toEqual(
        container.labels,
      );
    }
  });

  it('has users with an email, a country and a company, among them employees, users in CO and a beta company', () => {
    const { users } = simulation();
    expect(users.some((u) => u.email.endsWith('@faultline.dev'))).toBe(true);
    expect(users.some((u) => u.country === 'CO')).toBe(true);
    expect(users.some((u) => u.company === 'Globex')).toBe(true);
    expect(new Set(users.map((u) => u.email)).size).toBe(users.length);
  });

  it('is deterministic: the same seed measures the same fleet, another seed does not', () => {
    const run = (seed: number) => {
      const sim = simulation(seed);
      return [1, 2, 3].map((i) => sim.tick(START + i * 1000, []));
    };
    expect(run(3)).toEqual(run(3));
    expect(run(3)).not.toEqual(run(4));
  });

  it('keeps checkout calm with no experiment: CPU about 35 %, 5xx well under 1 %', () => {
    const values = average(simulation(), [], group('all'));
    expect(values.cpu).toBeGreaterThan(30);
    expect(values.cpu).toBeLessThan(40);
    expect(values.http_5xx_rate).toBeLessThan(0.3);
  });

  it('turns CPU pressure near saturation into latency and 5xx on the target only', () => {
    const sim = simulation();
    const targets = containers(sim).slice(0, 3);
    const mild = average(sim, [running(sim, 'cpu', 50, targets)], group('target', 'exp-cpu'));
    const saturated = average(sim, [running(sim, 'cpu', 60, targets)], group('target', 'exp-cpu'));
    const control = average(sim, [running(sim, 'cpu', 60, targets)], group('control', 'exp-cpu'));
    expect(mild.cpu).toBeGreaterThan(80);
    expect(mild.http_5xx_rate).toBeLessThan(1);
    expect(saturated.cpu).toBeGreaterThan(92);
    expect(saturated.http_5xx_rate).toBeGreaterThan(5);
    expect(saturated.latency_p99).toBeGreaterThan(mild.latency_p99);
    expect(control.http_5xx_rate).toBeLessThan(0.3);
    expect(control.cpu).toBeLessThan(40);
  });

  it('answers 504 for requests that injected latency pushes past the timeout', () => {
    const sim = simulation();
    const below = average(sim, [running(sim, 'latency', 500, [])], group('target', 'exp-latency'));
    const past = average(sim, [running(sim, 'latency', 2500, [])], group('target', 'exp-latency'));
    expect(below.http_5xx_rate).toBeLessThan(1);
    expect(below.latency_p99).toBeGreaterThan(600);
    expect(past.http_5xx_rate).toBeGreaterThan(90);
    expect(past.latency_p99).toBe(REQUEST_TIMEOUT_MS);
  });

  it('answers the injected share of requests with 500', () => {
    const sim = simulation();
    const values = average(sim, [running(sim, 'error', 20, [])], group('target', 'exp-error'));
    expect(values.http_5xx_rate).toBeGreaterThan(19);
    expect(values.http_5xx_rate).toBeLessThan(21);
  });

  it('answers the rate-limited share with 429: the 4xx rate rises, the 5xx rate does not', () => {
    const sim = simulation();
    const calm = average(sim, [], group('all'));
    const limited = average(
      sim,
      [running(sim, 'rate-limit', 30, [])],
      group('target', 'exp-rate-limit'),
    );
    expect(limited.http_4xx_rate).toBeGreaterThan(30);
    expect(limited.http_4xx_rate).toBeLessThan(calm.http_4xx_rate + 32);
    expect(limited.http_5xx_rate).toBeLessThanOrEqual(calm.http_5xx_rate + 0.2);
    expect(limited.error_rate).toBeLessThanOrEqual(calm.error_rate + 0.2);
  });

  it('counts cut connections as failed requests without any HTTP answer, neither 4xx nor 5xx', () => {
    const sim = simulation();
    const calm = average(sim, [], group('all'));
    const dropped = average(
      sim,
      [running(sim, 'connection-drop', 20, [])],
      group('target', 'exp-connection-drop'),
    );
    expect(dropped.error_rate).toBeGreaterThan(19.5);
    expect(dropped.error_rate).toBeLessThan(21);
    expect(dropped.http_5xx_rate).toBeLessThanOrEqual(calm.http_5xx_rate + 0.2);
    expect(dropped.http_4xx_rate).toBeLessThanOrEqual(calm.http_4xx_rate + 0.2);
  });

  it('slows requests under packet loss and loses some without any HTTP answer', () => {
    const sim = simulation();
    const calm = average(sim, [], group('all'));
    const lossy = average(
      sim,
      [running(sim, 'packet-loss', 20, [])],
      group('target', 'exp-packet-loss'),
    );
    expect(lossy.latency_p99).toBeGreaterThan(calm.latency_p99 + 200);
    expect(lossy.error_rate).toBeGreaterThan(lossy.http_5xx_rate + 1);
  });

  it('fills memory under memory pressure until the containers run out of it', () => {
    const sim = simulation();
    const values = average(sim, [running(sim, 'memory', 45, [])], group('target', 'exp-memory'));
    expect(values.memory).toBeGreaterThan(98);
    expect(values.http_5xx_rate).toBeGreaterThan(10);
  });

  it('moves the load of shut-down containers to the rest, and fails everything when none is left', () => {
    const sim = simulation();
    const all = containers(sim);
    const third = all.slice(0, all.length / 3);
    const calm = average(sim, [], group('all'));
    const experiment = running(sim, 'shutdown', undefined, third);
    const rest = average(sim, [experiment], group('control', 'exp-shutdown'));
    const whole = average(sim, [experiment], group('all'));
    expect(whole.request_rate).toBeCloseTo(calm.request_rate, -1);
    expect(rest.request_rate).toBeCloseTo(calm.request_rate, -1);
    expect(rest.cpu).toBeGreaterThan(calm.cpu * 1.3);
    const down = average(sim, [running(sim, 'shutdown', undefined, all)], group('all'));
    expect(down.http_5xx_rate).toBe(100);
  });

  it('leaves no trace of a fault once the injector has removed it', () => {
    const a = simulation(9);
    const b = simulation(9);
    const backend = simulationBackend(a, 1000);
    const experiment = running(a, 'cpu', 60, []);
    const fault = {
      experimentId: experiment.id,
      service: 'checkout',
      environment: 'staging' as const,
      attack: 'cpu' as const,
      magnitude: 60,
      instanceIds: experiment.run?.targets ?? [],
    };
    expect(atOnce(backend.faults.apply(fault))).toEqual({ done: fault.instanceIds, failed: [] });
    expect(atOnce(backend.faults.remove(fault))).toEqual({ done: fault.instanceIds, failed: [] });
    expect(a.tick(START + 1000, [])).toEqual(b.tick(START + 1000, []));
  });

  it('reports the instances a fault could not be applied to', () => {
    const backend = simulationBackend(simulation(), 1000);
    const [first] = containers(simulation());
    expect(
      backend.faults.apply({
        experimentId: 'x',
        service: 'checkout',
        environment: 'staging',
        attack: 'cpu',
        magnitude: 50,
        instanceIds: [first!, 'no-such-container'],
      }),
    ).toEqual({
      done: [first],
      failed: [{ instanceId: 'no-such-container', reason: 'no such instance in the fleet' }],
    });
  });

  it('routes a flag cohort’s share of traffic to its reserved hosts through the traffic splitter', () => {
    const sim = simulation();
    const hosts = sim.instancesOf('checkout', 'staging').filter((i) => i.kind === 'host');
    sim.setTrafficSplitter((service, environment) =>
      service === 'checkout' && environment === 'staging'
        ? { flagKey: 'new-checkout', onShare: 0.5, hostIds: new Set([hosts[0]!.id]) }
        : null,
    );
    const samples = sim.tick(START + 1000, []);
    const on = samples.find(
      (s) => s.service === 'checkout' && s.environment === 'staging' && s.cohort === 'on',
    );
    const off = samples.find(
      (s) => s.service === 'checkout' && s.environment === 'staging' && s.cohort === 'off',
    );
    expect(on && off).toBeTruthy();
    // One host of four takes half the traffic: three times the load of each of the others.
    expect(on!.values.request_rate).toBeCloseTo(off!.values.request_rate, -1);
    expect(on!.values.cpu).toBeGreaterThan(off!.values.cpu * 2);
  });
});

describe('metric history', () => {
  it('keeps at most one hour per series, oldest first', () => {
    const history = new MetricHistory(1000);
    const values = {
      cpu: 1,
      memory: 1,
      error_rate: 0,
      http_4xx_rate: 0,
      http_5xx_rate: 0,
      latency_p99: 1,
      request_rate: 1,
    };
    const ticks = 5000;
    for (let i = 0; i < ticks; i++) {
      const t = START + i * 1000;
      history.record(
        [
          {
            t,
            service: 'checkout',
            environment: 'staging',
            group: 'all',
            values: { ...values, cpu: i },
          },
        ],
        t,
      );
    }
    const samples = history.query({ service: 'checkout', environment: 'staging', group: 'all' });
    const last = START + (ticks - 1) * 1000;
    expect(samples.length).toBe(HISTORY_MS / 1000 + 1);
    expect(samples[0]?.t).toBe(last - HISTORY_MS);
    expect(samples.at(-1)).toMatchObject({ t: last, values: { cpu: ticks - 1 } });
    expect(
      history.query({
        service: 'checkout',
        environment: 'staging',
        group: 'all',
        since: last - 5000,
      }),
    ).toHaveLength(6);
  });

  it('drops a series an hour after its last sample', () => {
    const history = new MetricHistory(1000);
    const values = {
      cpu: 1,
      memory: 1,
      error_rate: 0,
      http_4xx_rate: 0,
      http_5xx_rate: 0,
      latency_p99: 1,
      request_rate: 1,
    };
    history.record(
      [
        {
          t: START,
          service: 'checkout',
          environment: 'staging',
          group: 'target',
          experimentId: 'x',
          values,
        },
      ],
      START,
    );
    history.record(
      [
        {
          t: START + HISTORY_MS + 1000,
          service: 'checkout',
          environment: 'staging',
          group: 'all',
          values,
        },
      ],
      START + HISTORY_MS + 1000,
    );
    expect(history.seriesCount()).toBe(1);
    expect(
      history.query({
        service: 'checkout',
        environment: 'staging',
        group: 'target',
        experimentId: 'x',
      }),
    ).toEqual([]);
  });
});
