import { afterEach, describe, expect, it } from 'vitest';
import type { AuditEntry, StatusResponse } from '../../src/domain';
import { canarySpec, createRollout, flagRolloutSpec, getRollout } from './rollouts-fixtures';
import {
  cpuSpec,
  mildLatencySpec,
  startExperiment,
  testServer,
  type TestServer,
} from './test-server';

let server: TestServer | null = null;
afterEach(async () => {
  await server?.app.close();
  server = null;
});

const latencyOnCheckout = (overrides: Parameters<typeof mildLatencySpec>[0] = {}) =>
  mildLatencySpec({
    name: 'Mild latency on checkout',
    service: 'checkout',
    environment: 'staging',
    steps: [{ magnitude: 20, durationSeconds: 600 }],
    ...overrides,
  });

async function auditOf(s: TestServer, action: string): Promise<AuditEntry[]> {
  return (
    (await s.call('GET', `/api/v1/audit?action=${action}`)).json() as { entries: AuditEntry[] }
  ).entries;
}

describe('one abort signal for rollouts and chaos', () => {
  it('a rollout that fails its analysis halts the chaos experiment on its service and environment, saying why', async () => {
    server = await testServer();
    const experiment = await startExperiment(server, latencyOnCheckout());
    const elsewhere = await startExperiment(server, mildLatencySpec());
    await createRollout(server, canarySpec({ defect: { fivexxPercent: 4, addedLatencyMs: 0 } }));
    server.advance(21);
    const halted = server.experiment(experiment.id);
    expect(halted.state).toBe('halted');
    expect(halted.run?.outcome).toMatchObject({ kind: 'halted', by: 'faultline' });
    const outcome = halted.run?.outcome;
    expect(outcome?.kind === 'halted' && outcome.reason).toMatch(
      /^rollout "Checkout 2.4.0" \(checkout 2.4.0 in staging\) rolled back: canary 5xx rate/,
    );
    expect(server.experiment(elsewhere.id).state).toBe('running');
    const rows = await auditOf(server, 'experiment.halt');
    expect(rows.filter((r) => r.targetId === experiment.id)).toHaveLength(1);
  });

  it('a guarded flag rollout that fails its analysis halts the chaos experiment there too, saying why', async () => {
    server = await testServer();
    // The flag's users are on every host, so its defect reaches the experiment's targets: a
    // condition loose enough not to trip leaves the verdict to the rollout's judge.
    const experiment = await startExperiment(
      server,
      latencyOnCheckout({
        abortConditions: [
          {
            kind: 'threshold',
            metric: 'http_5xx_rate',
            comparator: '>',
            threshold: 20,
            windowSeconds: 10,
            scope: 'target',
          },
        ],
      }),
    );
    const rollout = await createRollout(
      server,
      flagRolloutSpec({ defect: { fivexxPercent: 4, addedLatencyMs: 0 } }),
    );
    server.advance(21);
    expect((await getRollout(server, rollout.id)).state).toBe('rolled-back');
    const outcome = server.experiment(experiment.id).run?.outcome;
    expect(outcome).toMatchObject({ kind: 'halted', by: 'faultline' });
    const reason = outcome?.kind === 'halted' ? outcome.reason : null;
    expect(reason).toMatch(
      /^rollout "New checkout for everyone" \(flag new-checkout on checkout in staging\) rolled back: /,
    );
    expect(reason).toMatch(/: flag on 5xx rate .*; flag new-checkout off in staging$/);
    const rows = await auditOf(server, 'experiment.halt');
    expect(rows.filter((r) => r.targetId === experiment.id)).toHaveLength(1);
  });

  it('a chaos experiment that aborts holds the rollouts on its service and environment until a person resumes', async () => {
    server = await testServer();
    const rollout = await createRollout(server, canarySpec());
    // Paused, so the canary's own analysis cannot end it first.
    await server.call('POST', `/api/v1/rollouts/${rollout.id}/pause`, { body: {} });
    const experiment = await startExperiment(server, cpuSpec());
    for (let i = 0; i < 60 && server.experiment(experiment.id).state === 'running'; i++) {
      server.advance(5);
    }
    expect(server.experiment(experiment.id).state).toBe('aborted');
    const held = await getRollout(server, rollout.id);
    expect(held.state).toBe('held');
    expect(held.reason).toMatch(
      /^held: chaos experiment "CPU pressure on checkout" aborted on checkout in staging: .+; resume when it is understood$/,
    );
    server.advance(40);
    expect((await getRollout(server, rollout.id)).state).toBe('held');
    const resumed = await server.call('POST', `/api/v1/rollouts/${rollout.id}/resume`, {
      body: {},
    });
    expect((resumed.json() as { state: string }).state).toBe('progressing');
    expect((await auditOf(server, 'rollout.hold')).map((r) => r.targetId)).toEqual([rollout.id]);
  }, 30_000);

  it('halt all pauses every rollout in its scope and leaves the others', async () => {
    server = await testServer();
    const inStaging = await createRollout(server, canarySpec());
    const inProduction = await createRollout(
      server,
      canarySpec({ name: 'Checkout in production', environment: 'production' }),
    );
    const response = await server.call('POST', '/api/v1/halt-all', {
      as: 'vic-viewer',
      body: { environment: 'staging' },
    });
    expect(response.statusCode).toBe(200);
    const paused = await getRollout(server, inStaging.id);
    expect([paused.state, paused.reason]).toEqual([
      'paused',
      'paused by halt all (vic-viewer, staging)',
    ]);
    expect((await getRollout(server, inProduction.id)).state).toBe('progressing');
    server.advance(60);
    expect((await getRollout(server, inStaging.id)).stepIndex).toBe(0);
  });

  it('the status page lists canaries being rolled out with their weight, and says when one waits', async () => {
    const running = await testServer();
    server = running;
    const rollout = await createRollout(running, canarySpec());
    const listed = async () =>
      ((await running.call('GET', '/api/v1/status', { as: null })).json() as StatusResponse).testing
        .rollouts;
    const entry = {
      kind: 'canary',
      key: 'checkout 2.4.0',
      service: 'checkout',
      environment: 'staging',
      percent: 5,
    };
    expect(await listed()).toContainEqual({ ...entry, waiting: false });
    await running.call('POST', `/api/v1/rollouts/${rollout.id}/pause`, { body: {} });
    expect(await listed()).toContainEqual({ ...entry, waiting: true });
  });
});
