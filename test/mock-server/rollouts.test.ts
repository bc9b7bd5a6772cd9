import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../mock-server/app';
import { ManualClock } from '../../mock-server/clock';
import type { AuditEntry } from '../../src/domain';
import { canarySpec, createRollout, getRollout } from './rollouts-fixtures';
import { START, testServer, type TestServer } from './test-server';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

let server: TestServer | null = null;
afterEach(async () => {
  await server?.app.close();
  server = null;
});

const DEFECT = { fivexxPercent: 4, addedLatencyMs: 0 };

describe('canary rollouts', () => {
  it('rolls a defective canary back at its first step, once the judge has enough samples', async () => {
    server = await testServer();
    const rollout = await createRollout(server, canarySpec({ defect: DEFECT }));
    server.advance(19);
    expect((await getRollout(server, rollout.id)).state).toBe('progressing');
    server.advance(2);
    const after = await getRollout(server, rollout.id);
    expect(after.state).toBe('rolled-back');
    expect(after.stepIndex).toBe(0);
    expect(after.weight).toBe(0);
    expect(after.reason).toMatch(/^rolled back: canary 5xx rate [\d.]+ % vs stable [\d.]+ %, \+/);
    expect(after.reason).toMatch(/20 samples each/);
    const analysis = after.analyses.at(-1)!;
    expect(analysis.outcome).toBe('fail');
    expect(analysis.judgements.find((j) => j.metric === 'http_5xx_rate')?.verdict.regression).toBe(
      true,
    );
    // The audit keeps the decision with the judge's numbers, as the page shows them.
    const audit = (await server.call('GET', '/api/v1/audit?action=rollout.rollback')).json() as {
      entries: AuditEntry[];
    };
    const row = audit.entries.find((e) => e.targetId === rollout.id);
    expect(row?.actor).toBe('faultline');
    expect(row?.after).toMatchObject({ state: 'rolled-back', reason: after.reason });
    expect((row?.after as typeof after).analyses.at(-1)).toEqual(analysis);
  });

  it('serves the canary share from canary hosts only, and none once rolled back', async () => {
    server = await testServer();
    await createRollout(server, canarySpec({ defect: DEFECT }));
    server.advance(1);
    const canary = server.simulation
      .latest()
      .find(
        (s) => s.service === 'checkout' && s.environment === 'staging' && s.version === 'canary',
      );
    const stable = server.simulation
      .latest()
      .find(
        (s) => s.service === 'checkout' && s.environment === 'staging' && s.version === 'stable',
      );
    expect(canary!.values.request_rate).toBeGreaterThan(0);
    // 5 % of the traffic on one host of four.
    const share =
      canary!.values.request_rate / (canary!.values.request_rate + stable!.values.request_rate);
    expect(share).toBeLessThan(0.2);
    server.advance(30);
    expect(server.simulation.latest().some((s) => s.version)).toBe(false);
  });

  it('takes a healthy canary through every step to 100 %', async () => {
    server = await testServer();
    const rollout = await createRollout(server, canarySpec());
    server.advance(100);
    const after = await getRollout(server, rollout.id);
    expect(after.state).toBe('succeeded');
    expect(after.weight).toBe(100);
    expect(after.weights.map((w) => w.weight)).toEqual([5, 25, 50, 100]);
    expect(after.analyses.map((a) => a.outcome)).toEqual(['pass', 'pass', 'pass']);
  });

  it('abort restores stable at once, without waiting for an analysis', async () => {
    server = await testServer();
    const rollout = await createRollout(server, canarySpec());
    server.advance(3);
    const response = await server.call('POST', `/api/v1/rollouts/${rollout.id}/abort`, {
      as: 'vic-viewer',
      body: { reason: 'incident 42' },
    });
    expect(response.statusCode).toBe(200);
    const after = response.json() as typeof rollout;
    expect(after.state).toBe('aborted');
    expect(after.weight).toBe(0);
    expect(after.analyses).toEqual([]);
    expect(after.reason).toBe('aborted by vic-viewer: incident 42: all traffic back on stable');
    server.advance(1);
    expect(server.simulation.latest().some((s) => s.version === 'canary')).toBe(false);
    const audit = (await server.call('GET', '/api/v1/audit?action=rollout.abort')).json() as {
      entries: AuditEntry[];
    };
    expect(audit.entries.some((e) => e.targetId === rollout.id)).toBe(true);
  });

  it('promote moves to the next step now; promote-full ends at 100 %', async () => {
    server = await testServer();
    const rollout = await createRollout(server, canarySpec());
    const promoted = (
      await server.call('POST', `/api/v1/rollouts/${rollout.id}/promote`, { body: {} })
    ).json() as typeof rollout;
    expect([promoted.stepIndex, promoted.weight]).toEqual([1, 25]);
    const full = (
      await server.call('POST', `/api/v1/rollouts/${rollout.id}/promote-full`, { body: {} })
    ).json() as typeof rollout;
    expect([full.state, full.weight]).toEqual(['succeeded', 100]);
  });

  it('pause stops the clock of a step; resume starts the step again', async () => {
    server = await testServer();
    const rollout = await createRollout(server, canarySpec());
    await server.call('POST', `/api/v1/rollouts/${rollout.id}/pause`, { body: {} });
    server.advance(60);
    const paused = await getRollout(server, rollout.id);
    expect([paused.state, paused.stepIndex, paused.weight]).toEqual(['paused', 0, 5]);
    await server.call('POST', `/api/v1/rollouts/${rollout.id}/resume`, { body: {} });
    server.advance(29);
    expect((await getRollout(server, rollout.id)).stepIndex).toBe(0);
    server.advance(2);
    expect((await getRollout(server, rollout.id)).stepIndex).toBe(1);
  });

  it('retry starts a rolled-back rollout from its first step', async () => {
    server = await testServer();
    const rollout = await createRollout(server, canarySpec({ defect: DEFECT }));
    server.advance(21);
    const retried = (
      await server.call('POST', `/api/v1/rollouts/${rollout.id}/retry`, { body: {} })
    ).json() as typeof rollout;
    expect([retried.state, retried.stepIndex, retried.weight, retried.reason]).toEqual([
      'progressing',
      0,
      5,
      null,
    ]);
  });

  it('refuses a control the rollout state does not allow', async () => {
    server = await testServer();
    const rollout = await createRollout(server, canarySpec());
    const response = await server.call('POST', `/api/v1/rollouts/${rollout.id}/retry`, {
      body: {},
    });
    expect(response.statusCode).toBe(409);
  });

  it.each([
    ['vic-viewer', 'create', 403],
    ['vic-viewer', 'promote', 403],
    ['vic-viewer', 'promote-full', 403],
    ['vic-viewer', 'resume', 403],
    ['vic-viewer', 'retry', 403],
    ['vic-viewer', 'pause', 200],
    [null, 'pause', 401],
    [null, 'abort', 401],
  ] as const)('as %s, %s answers %i', async (user, control, status) => {
    server = await testServer();
    const rollout = await createRollout(server, canarySpec());
    const response =
      control === 'create'
        ? await server.call('POST', '/api/v1/rollouts', { as: user, body: canarySpec() })
        : await server.call('POST', `/api/v1/rollouts/${rollout.id}/${control}`, {
            as: user,
            body: {},
          });
    expect(response.statusCode).toBe(status);
    if (status !== 200) expect((await getRollout(server, rollout.id)).version).toBe(1);
  });

  it.each([
    [
      'steps.1.weight',
      {
        steps: [
          { weight: 50, waitSeconds: 10 },
          { weight: 25, waitSeconds: 10 },
        ],
      },
    ],
    ['steps', { steps: [] }],
    ['steps.0.waitSeconds', { steps: [{ weight: 5, waitSeconds: -1 }] }],
    ['newVersion', { newVersion: 'two words' }],
    ['analysis.metrics', { analysis: { ...canarySpec().analysis, metrics: [] } }],
    ['analysis.minSamples', { analysis: { ...canarySpec().analysis, minSamples: 2 } }],
    ['service', { service: 'nope' }],
    ['environment', { environment: 'development' }],
  ])('refuses a spec with a bad %s, naming it, and stores nothing', async (field, change) => {
    server = await testServer();
    const response = await server.call('POST', '/api/v1/rollouts', {
      as: 'dev-dana',
      body: canarySpec(change),
    });
    expect(response.statusCode).toBe(400);
    const error = (response.json() as { error: { details: { issues: { path: string }[] } } }).error;
    expect(error.details.issues.map((i) => i.path)).toContain(field);
    expect(
      ((await server.call('GET', '/api/v1/rollouts')).json() as { rollouts: [] }).rollouts,
    ).toEqual([]);
  });
});

describe('a restart in the middle of a rollout', () => {
  it('starts the current step again and never jumps ahead', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'faultline-rollouts-'));
    const database = path.join(dir, 'faultline.sqlite');
    try {
      const clock = new ManualClock(START);
      const first = await buildApp({
        database,
        clock,
        sampleData: false,
        config: { tickMs: 1000 },
      });
      const token = (
        (
          await first.app.inject({
            method: 'POST',
            url: '/api/v1/session',
            payload: { user: 'dev-dana' },
          })
        ).json() as { token: string }
      ).token;
      const created = await first.app.inject({
        method: 'POST',
        url: '/api/v1/rollouts',
        headers: { authorization: `Bearer ${token}` },
        payload: canarySpec(),
      });
      const id = (created.json() as { id: string }).id;
      clock.advance(45_000); // into step 2 (25 %), 15 s of its 30 s gone
      await first.app.close();

      clock.advance(600_000); // ten minutes down: longer than every remaining wait
      const second = await buildApp({
        database,
        clock,
        sampleData: false,
        config: { tickMs: 1000 },
      });
      try {
        const token2 = (
          (
            await second.app.inject({
              method: 'POST',
              url: '/api/v1/session',
              payload: { user: 'dev-dana' },
            })
          ).json() as { token: string }
        ).token;
        const read = async () =>
          (
            await second.app.inject({
              url: `/api/v1/rollouts/${id}`,
              headers: { authorization: `Bearer ${token2}` },
            })
          ).json() as { stepIndex: number; state: string; weight: number };
        expect(await read()).toMatchObject({ stepIndex: 1, state: 'progressing', weight: 25 });
        clock.advance(29_000);
        expect((await read()).stepIndex).toBe(1);
        clock.advance(2_000);
        expect((await read()).stepIndex).toBe(2);
      } finally {
        await second.app.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
