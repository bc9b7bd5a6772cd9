import { describe, expect, it } from 'vitest';
import type { TickReport } from '../../mock-server/engine/engine';
import { FLAG_SOURCE_UNAVAILABLE } from '../../mock-server/engine/start-checks';
import {
  activeInjections,
  initialConditionState,
  stepCondition,
  type AbortCondition,
  type ConditionState,
  type StreamEvent,
} from '../../src/domain';
import {
  cpuSpec,
  createExperiment,
  mildLatencySpec,
  startExperiment,
  testServer,
  type TestServer,
} from './test-server';

function recordTicks(server: TestServer): TickReport[] {
  const reports: TickReport[] = [];
  server.engine.onTick((report) => reports.push(report));
  return reports;
}

/**
 * Independently of the engine: the index of the first tick whose target sample makes one of the
 * conditions hold, folding the samples through the domain's evaluator.
 */
function firstBreachingTick(
  reports: readonly TickReport[],
  experimentId: string,
  conditions: readonly AbortCondition[],
) {
  const states: ConditionState[] = conditions.map(initialConditionState);
  for (const report of reports) {
    const sample = report.samples.find(
      (s) => s.group === 'target' && s.experimentId === experimentId,
    );
    if (!sample) continue;
    for (const [index, condition] of conditions.entries()) {
      const step = stepCondition(condition, states[index] ?? initialConditionState(condition), {
        t: sample.t,
        value: sample.values[condition.metric],
      });
      states[index] = step.state;
      if (step.verdict.holds)
        return { tick: report.index, conditionIndex: index, value: step.verdict.value };
    }
  }
  return null;
}

describe('the experiment engine', () => {
  it('aborts the CPU experiment in the very tick whose sample makes a condition hold, and removes every injection', async () => {
    const server = await testServer();
    const reports = recordTicks(server);
    const started = await startExperiment(server, cpuSpec());
    server.advance(300);

    const aborting = reports.find((r) => r.aborted.length > 0);
    const breach = firstBreachingTick(reports, started.id, started.abortConditions);
    expect(breach).not.toBeNull();
    expect(aborting?.index).toBe(breach?.tick);

    const aborted = server.experiment(started.id);
    expect(aborted.state).toBe('aborted');
    expect(aborted.run?.outcome).toMatchObject({
      kind: 'aborted',
      conditionIndex: breach?.conditionIndex,
    });
    const outcome = aborted.run?.outcome;
    expect(outcome?.kind === 'aborted' ? outcome.value : NaN).toBeCloseTo(breach?.value ?? NaN, 5);
    // It aborted during the second step (60 %), before the ramp's 240 s were over.
    expect(aborted.run?.stepIndex).toBe(1);
    expect(activeInjections(aborted, server.clock.now())).toEqual([]);
    // From the next tick on, nothing of it is measured and checkout is back to normal.
    const after = reports.filter((r) => r.index > (aborting?.index ?? Infinity));
    expect(after.length).toBeGreaterThan(10);
    expect(after.flatMap((r) => r.samples).some((s) => s.experimentId === started.id)).toBe(false);
    const checkout = after
      .at(-1)
      ?.samples.find(
        (s) => s.service === 'checkout' && s.environment === 'staging' && s.group === 'all',
      );
    expect(checkout?.values.http_5xx_rate).toBeLessThan(1);
  });

  it('aborts on "5xx rate > 1 % for 10 s" only once the breach has lasted the whole window', async () => {
    const server = await testServer();
    const reports = recordTicks(server);
    const spec = cpuSpec({
      abortConditions: [
        {
          kind: 'threshold',
          metric: 'http_5xx_rate',
          comparator: '>',
          threshold: 1,
          windowSeconds: 10,
          scope: 'target',
        },
      ],
    });
    const started = await startExperiment(server, spec);
    server.advance(300);

    const targetOf = (r: TickReport) =>
      r.samples.find((s) => s.group === 'target' && s.experimentId === started.id);
    const firstOver = reports.find((r) => (targetOf(r)?.values.http_5xx_rate ?? 0) > 1);
    const aborting = reports.find((r) => r.aborted.length > 0);
    expect(firstOver).toBeDefined();
    expect(aborting?.t).toBeGreaterThanOrEqual((firstOver?.t ?? 0) + 10_000);
    expect(aborting?.index).toBe(
      firstBreachingTick(reports, started.id, started.abortConditions)?.tick,
    );
    expect(server.experiment(started.id).run?.outcome).toMatchObject({
      description: '5xx rate > 1 % for 10 s',
    });
  });

  it('runs a mild experiment through its ramp and completes it without aborting', async () => {
    const server = await testServer();
    const reports = recordTicks(server);
    const started = await startExperiment(
      server,
      mildLatencySpec({
        steps: [
          { magnitude: 50, durationSeconds: 30 },
          { magnitude: 50, durationSeconds: 30 },
        ],
      }),
    );
    server.advance(90);

    const done = server.experiment(started.id);
    expect(done.state).toBe('completed');
    expect(done.run?.outcome).toMatchObject({
      kind: 'completed',
      at: started.run!.startedAt + 60_000,
    });
    expect(reports.some((r) => r.aborted.length > 0)).toBe(false);
    expect(reports.flatMap((r) => r.stepped).map((e) => e.run?.stepIndex)).toEqual([1]);
    // The latency was really there while it ran: the target's p99 sat above the control's.
    const during = reports.find((r) => r.samples.some((s) => s.experimentId === started.id))!;
    const target = during.samples.find(
      (s) => s.group === 'target' && s.experimentId === started.id,
    )!;
    const control = during.samples.find(
      (s) => s.group === 'control' && s.experimentId === started.id,
    )!;
    expect(target.values.latency_p99).toBeGreaterThan(control.values.latency_p99 + 30);
  });

  it('publishes created, started, stepped and aborted events, in that order, each with the whole experiment', async () => {
    const server = await testServer();
    const events: StreamEvent[] = [];
    server.context.bus.subscribe((record) => {
      if (record.event.type === 'experiment') events.push(record.event);
    });
    const started = await startExperiment(server, cpuSpec());
    server.advance(300);
    const mine = events.filter((e) => e.type === 'experiment' && e.experiment.id === started.id);
    expect(mine.map((e) => (e.type === 'experiment' ? e.change : ''))).toEqual([
      'created',
      'started',
      'stepped',
      'aborted',
    ]);
    expect(mine.at(-1)).toMatchObject({
      experiment: { state: 'aborted', version: started.version + 2 },
    });
  });

  it('refuses to start when an abort condition already holds before any harm (steady-state check)', async () => {
    const server = await testServer();
    server.advance(20);
    const created = await createExperiment(
      server,
      cpuSpec({
        abortConditions: [
          {
            kind: 'threshold',
            metric: 'cpu',
            comparator: '>',
            threshold: 10,
            windowSeconds: 5,
            scope: 'target',
          },
        ],
      }),
    );
    const audited = server.context.audit.count();
    const response = await server.call('POST', `/api/v1/experiments/${created.id}/start`, {
      body: { version: created.version },
    });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({
      error: {
        code: 'start_refused',
        details: {
          reason: expect.stringMatching(
            /already holds before any harm \(now [\d.]+ (%|ms|req\/s)\)/,
          ),
        },
      },
    });
    expect(server.experiment(created.id).state).toBe('draft');
    expect(server.context.audit.count()).toBe(audited);
  });

  it('refuses to start when the blast radius resolves to no instance', async () => {
    const server = await testServer();
    const created = await createExperiment(
      server,
      cpuSpec({ blastRadius: { scope: 'hosts', selector: { zone: 'z' }, mode: 'all' } }),
    );
    const response = await server.call('POST', `/api/v1/experiments/${created.id}/start`, {
      body: { version: 1 },
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().error.details.reason).toBe(
      'the blast radius matches no host of checkout in staging',
    );
    expect(server.experiment(created.id).state).toBe('draft');
  });

  it('refuses a blast radius inherited from a flag until the flags module provides a resolver, then uses it', async () => {
    const server = await testServer();
    server.context.extensions.blastRadiusSources.delete('flag');
    const spec = cpuSpec({
      blastRadius: {
        scope: 'hosts',
        selector: {},
        mode: 'all',
        source: { kind: 'flag', flagKey: 'new-checkout' },
      },
    });
    const created = await createExperiment(server, spec);
    const refused = await server.call('POST', `/api/v1/experiments/${created.id}/start`, {
      body: { version: 1 },
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.details.reason).toBe(FLAG_SOURCE_UNAVAILABLE);

    server.context.extensions.blastRadiusSources.set('flag', () => ({
      eligible: (instance) => instance.hostId === 'checkout-stg-h2',
    }));
    const started = await server.call('POST', `/api/v1/experiments/${created.id}/start`, {
      body: { version: 1 },
    });
    expect(started.statusCode).toBe(200);
    expect(started.json().run.targets).toEqual(['checkout-stg-h2']);
  });

  it('targets only the canary instances when the blast radius is inherited from the canary', async () => {
    const server = await testServer();
    const started = await startExperiment(
      server,
      mildLatencySpec({
        environment: 'production',
        service: 'checkout',
        blastRadius: { scope: 'containers', selector: {}, mode: 'all', source: { kind: 'canary' } },
      }),
    );
    const canary = server.simulation.fleet.instances.filter(
      (i) =>
        i.service === 'checkout' &&
        i.environment === 'production' &&
        i.kind === 'container' &&
        i.labels.version === 'canary',
    );
    expect(canary.length).toBeGreaterThan(0);
    expect([...(started.run?.targets ?? [])].sort()).toEqual(canary.map((i) => i.id).sort());
  });

  it('asks for the environment typed again before a start in production', async () => {
    const server = await testServer();
    const created = await createExperiment(server, mildLatencySpec({ environment: 'production' }));
    const response = await server.call('POST', `/api/v1/experiments/${created.id}/start`, {
      body: { version: 1 },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details.issues[0].path).toBe('confirmEnvironment');
    expect(server.experiment(created.id).state).toBe('draft');
  });

  it('answers a halt of a finished experiment with the experiment unchanged', async () => {
    const server = await testServer();
    const started = await startExperiment(server, mildLatencySpec());
    server.advance(5);
    const first = await server.call('POST', `/api/v1/experiments/${started.id}/halt`, {
      body: {},
      as: 'vic-viewer',
    });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({
      state: 'halted',
      run: { outcome: { kind: 'halted', by: 'vic-viewer', haltAll: false } },
    });
    const audited = server.context.audit.count();
    const again = await server.call('POST', `/api/v1/experiments/${started.id}/halt`, { body: {} });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect(server.context.audit.count()).toBe(audited);
  });
});
