import { afterEach, describe, expect, it } from 'vitest';
import type { AuditEntry, Rollout, StatusResponse, StreamEvent } from '../../src/domain';
import type { Flag, Rule } from '../../src/domain/flags';
import { canarySpec, createRollout, flagRolloutSpec, getRollout } from './rollouts-fixtures';
import { testServer, type TestServer } from './test-server';

let server: TestServer | null = null;
afterEach(async () => {
  await server?.app.close();
  server = null;
});

async function flagOf(s: TestServer, key = 'new-checkout'): Promise<Flag> {
  return (await s.call('GET', `/api/v1/flags/${key}`)).json() as Flag;
}

/** The share the flag's last rule for everyone gives its "on" variant in staging, %. */
function catchAllOn(flag: Flag): number | null {
  const last = flag.environments.staging.rules.at(-1);
  if (!last || last.conditions.length > 0 || last.serve.kind !== 'rollout') return null;
  return last.serve.split.find((e) => e.variant === 'on')?.weight ?? null;
}

async function auditOf(s: TestServer, action: string): Promise<AuditEntry[]> {
  return (
    (await s.call('GET', `/api/v1/audit?action=${action}`)).json() as { entries: AuditEntry[] }
  ).entries;
}

describe('guarded flag rollouts', () => {
  it('takes a healthy flag from 5 % to 100 %, each step judged flag on against flag off with the split checked', async () => {
    server = await testServer();
    const production = (await flagOf(server)).environments.production;
    const rollout = await createRollout(server, flagRolloutSpec());
    expect(rollout.spec).toMatchObject({ kind: 'flag', variant: 'on' });
    expect(catchAllOn(await flagOf(server))).toBe(5);
    // Internal employees, Colombia and the beta company stay on: the expected share is above 5 %.
    expect(rollout.expectedShare).toBeGreaterThan(0.05);
    expect(rollout.expectedShare).toBeLessThan(0.6);

    server.advance(31);
    const second = await getRollout(server, rollout.id);
    expect([second.stepIndex, second.weight]).toEqual([1, 25]);
    expect(catchAllOn(await flagOf(server))).toBe(25);
    expect(second.expectedShare).toBeGreaterThan(rollout.expectedShare!);

    server.advance(70);
    const after = await getRollout(server, rollout.id);
    expect(after.state).toBe('succeeded');
    expect(after.weights.map((w) => w.weight)).toEqual([5, 25, 50, 100]);
    expect(after.analyses.map((a) => a.outcome)).toEqual(['pass', 'pass', 'pass']);
    expect(after.analyses.map((a) => a.sampleRatio?.outcome)).toEqual(['match', 'match', 'match']);
    const flag = await flagOf(server);
    expect(flag.environments.staging.state).toBe('on');
    expect(catchAllOn(flag)).toBe(100);
    // Only staging was touched.
    expect(flag.environments.production).toEqual(production);
  });

  it('turns the flag off when the flag-on cohort regresses, with the judge numbers in the reason and the audit', async () => {
    server = await testServer();
    const events: StreamEvent[] = [];
    server.context.bus.subscribe((record) => events.push(record.event));
    const rollout = await createRollout(
      server,
      flagRolloutSpec({ defect: { fivexxPercent: 4, addedLatencyMs: 0 } }),
    );
    server.advance(19);
    expect((await getRollout(server, rollout.id)).state).toBe('progressing');
    server.advance(2);
    const after = await getRollout(server, rollout.id);
    expect([after.state, after.weight, after.stepIndex]).toEqual(['rolled-back', 0, 0]);
    expect(after.reason).toMatch(
      new RegExp(
        String.raw`^rolled back: flag on 5xx rate [\d.]+ % vs flag off [\d.]+ %, ` +
          String.raw`\+[\d.]+ points \[[\d.]+, [\d.]+\], p [<=] [\d.]+, [\d,]+ vs [\d,]+ requests, 20 samples each; ` +
          'flag new-checkout off in staging$',
      ),
    );
    expect((await flagOf(server)).environments.staging.state).toBe('off');
    expect((await flagOf(server)).environments.production.state).toBe('on');

    const rollback = (await auditOf(server, 'rollout.rollback')).find(
      (e) => e.targetId === rollout.id,
    );
    const kill = (await auditOf(server, 'flag.kill')).find((e) => e.targetId === 'new-checkout');
    expect(rollback).toBeDefined();
    expect(kill).toBeDefined();
    // One change: the rollback and the kill switch share their transaction's time and actor.
    expect([kill!.at, kill!.actor]).toEqual([rollback!.at, rollback!.actor]);
    expect(JSON.stringify(rollback!.after)).toContain('flag on 5xx rate');
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'resource', resource: 'flags', id: 'new-checkout' }),
    );
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'resource', resource: 'rollouts', id: rollout.id }),
    );

    // Nobody is served the new path any more: no cohort split, no flag-on samples.
    server.advance(2);
    expect(
      server.simulation
        .latest()
        .some((s) => s.service === 'checkout' && s.environment === 'staging' && s.cohort),
    ).toBe(false);
  });

  it('holds rather than promotes while there is no flag-on traffic to judge', async () => {
    server = await testServer();
    // A canary routing checkout by version: the flag's cohorts are not split meanwhile.
    const canary = await createRollout(server, canarySpec());
    await server.call('POST', `/api/v1/rollouts/${canary.id}/pause`, { body: {} });
    const rollout = await createRollout(server, flagRolloutSpec());
    server.advance(90);
    const held = await getRollout(server, rollout.id);
    expect([held.state, held.stepIndex, held.weight]).toEqual(['progressing', 0, 5]);
    expect(held.reason).toMatch(/^holding step 1: no traffic on both flag on and flag off yet/);
    expect(held.analyses).toEqual([]);

    await server.call('POST', `/api/v1/rollouts/${canary.id}/abort`, { body: {} });
    server.advance(31);
    expect((await getRollout(server, rollout.id)).stepIndex).toBe(1);
  });

  it('holds on a sample-ratio mismatch when the flag is changed by hand, and resume sets the step again', async () => {
    server = await testServer();
    const rollout = await createRollout(server, flagRolloutSpec());
    server.advance(5);
    const flag = await flagOf(server);
    const rules = flag.environments.staging.rules.map((rule): Rule =>
      rule.conditions.length === 0
        ? {
            ...rule,
            serve: {
              kind: 'rollout',
              split: [
                { variant: 'on', weight: 60 },
                { variant: 'off', weight: 40 },
              ],
            },
          }
        : rule,
    );
    const { version, createdAt: _c, updatedAt: _u, updatedBy: _b, ...spec } = flag;
    const edited = await server.call('PUT', '/api/v1/flags/new-checkout', {
      as: 'dev-dana',
      body: {
        version,
        spec: {
          ...spec,
          environments: { ...flag.environments, staging: { state: 'on', rules } },
        },
      },
    });
    expect(edited.statusCode).toBe(200);
    server.advance(30);
    const held = await getRollout(server, rollout.id);
    expect([held.state, held.stepIndex]).toEqual(['held', 0]);
    expect(held.reason).toMatch(
      /^held: sample ratio mismatch: flag on got [\d.]+ % of users, the rollout expects [\d.]+ % \(χ² = [\d.]+, p < 0.001, 240 users\)/,
    );
    expect(held.analyses.at(-1)?.outcome).toBe('sample-ratio-mismatch');
    server.advance(60);
    expect((await getRollout(server, rollout.id)).state).toBe('held');

    const resumed = await server.call('POST', `/api/v1/rollouts/${rollout.id}/resume`, {
      body: {},
    });
    expect((resumed.json() as Rollout).state).toBe('progressing');
    expect(catchAllOn(await flagOf(server))).toBe(5);
    server.advance(31);
    expect((await getRollout(server, rollout.id)).stepIndex).toBe(1);
  });

  it('abort turns the flag off at once; retry turns it on again at the first step', async () => {
    server = await testServer();
    const rollout = await createRollout(server, flagRolloutSpec());
    server.advance(3);
    const aborted = (
      await server.call('POST', `/api/v1/rollouts/${rollout.id}/abort`, {
        as: 'vic-viewer',
        body: { reason: 'incident 7' },
      })
    ).json() as Rollout;
    expect(aborted.reason).toBe(
      'aborted by vic-viewer: incident 7: all traffic back on the off variant (flag new-checkout off in staging)',
    );
    expect((await flagOf(server)).environments.staging.state).toBe('off');
    const retried = (
      await server.call('POST', `/api/v1/rollouts/${rollout.id}/retry`, { body: {} })
    ).json() as Rollout;
    expect([retried.state, retried.weight]).toEqual(['progressing', 5]);
    const flag = await flagOf(server);
    expect([flag.environments.staging.state, catchAllOn(flag)]).toEqual(['on', 5]);
  });

  it('promote and promote-full move the flag with the rollout', async () => {
    server = await testServer();
    const rollout = await createRollout(server, flagRolloutSpec());
    await server.call('POST', `/api/v1/rollouts/${rollout.id}/promote`, { body: {} });
    expect(catchAllOn(await flagOf(server))).toBe(25);
    await server.call('POST', `/api/v1/rollouts/${rollout.id}/promote-full`, { body: {} });
    expect(catchAllOn(await flagOf(server))).toBe(100);
  });

  it.each([
    ['vic-viewer', 'create', 403],
    ['vic-viewer', 'promote', 403],
    ['vic-viewer', 'promote-full', 403],
    ['vic-viewer', 'resume', 403],
    ['vic-viewer', 'retry', 403],
    ['vic-viewer', 'pause', 200],
    [null, 'abort', 401],
  ] as const)('as %s, %s on a flag rollout answers %i', async (user, control, status) => {
    server = await testServer();
    const rollout = await createRollout(server, flagRolloutSpec());
    const flagVersion = (await flagOf(server)).version;
    const response =
      control === 'create'
        ? await server.call('POST', '/api/v1/rollouts', {
            as: user,
            body: flagRolloutSpec({ environment: 'production' }),
          })
        : await server.call('POST', `/api/v1/rollouts/${rollout.id}/${control}`, {
            as: user,
            body: {},
          });
    expect(response.statusCode).toBe(status);
    if (status !== 200) {
      expect((await getRollout(server, rollout.id)).version).toBe(1);
      expect((await flagOf(server)).version).toBe(flagVersion);
    }
  });

  it.each([
    ['flagKey', { flagKey: 'no-such-flag' }],
    ['variant', { variant: 'nope' }],
    ['variant', { variant: 'off' }],
    ['service', { service: 'catalog' }],
    [
      'steps.1.weight',
      {
        steps: [
          { weight: 50, waitSeconds: 10 },
          { weight: 5, waitSeconds: 10 },
        ],
      },
    ],
    ['defect.fivexxPercent', { defect: { fivexxPercent: 120 } }],
  ])(
    'refuses a flag rollout with a bad %s, naming it, and changes nothing',
    async (field, change) => {
      server = await testServer();
      const before = await flagOf(server);
      const response = await server.call('POST', '/api/v1/rollouts', {
        as: 'dev-dana',
        body: flagRolloutSpec(change),
      });
      expect(response.statusCode).toBe(400);
      const error = (response.json() as { error: { details: { issues: { path: string }[] } } })
        .error;
      expect(error.details.issues.map((i) => i.path)).toContain(field);
      expect((await flagOf(server)).version).toBe(before.version);
      expect(
        ((await server.call('GET', '/api/v1/rollouts')).json() as { rollouts: [] }).rollouts,
      ).toEqual([]);
    },
  );

  it('refuses a second flag rollout on the same service and environment', async () => {
    server = await testServer();
    await createRollout(server, flagRolloutSpec());
    const response = await server.call('POST', '/api/v1/rollouts', {
      as: 'dev-dana',
      body: flagRolloutSpec({ name: 'again' }),
    });
    expect(response.statusCode).toBe(400);
  });

  it('the status page lists a flag rollout under way once, with its weight, even while paused', async () => {
    server = await testServer();
    const rollout = await createRollout(server, flagRolloutSpec());
    await server.call('POST', `/api/v1/rollouts/${rollout.id}/pause`, { body: {} });
    const status = (
      await server.call('GET', '/api/v1/status', { as: null })
    ).json() as StatusResponse;
    const newCheckout = status.testing.rollouts.filter((r) => r.key === 'new-checkout');
    expect(newCheckout.filter((r) => r.environment === 'staging')).toEqual([
      {
        kind: 'flag',
        key: 'new-checkout',
        service: 'checkout',
        environment: 'staging',
        percent: 5,
        waiting: true,
      },
    ]);
    // Production's percentage rollout, edited by hand, is still listed as before.
    expect(newCheckout.some((r) => r.environment === 'production')).toBe(true);
  });
});

describe('halt all and guarded flag rollouts', () => {
  it('with killFlags pauses the flag rollouts in its scope and turns their flags off, in one audited change with one reason', async () => {
    server = await testServer();
    const rollout = await createRollout(server, flagRolloutSpec());
    const response = await server.call('POST', '/api/v1/halt-all', {
      as: 'vic-viewer',
      body: { environment: 'staging', killFlags: true },
    });
    expect(response.statusCode).toBe(200);
    expect((response.json() as { flagsKilled: string[] }).flagsKilled).toEqual(['new-checkout']);
    const paused = await getRollout(server, rollout.id);
    expect([paused.state, paused.reason]).toEqual([
      'paused',
      'paused by halt all (vic-viewer, staging); flag new-checkout turned off in staging',
    ]);
    const flag = await flagOf(server);
    expect(flag.environments.staging.state).toBe('off');
    expect(flag.environments.production.state).toBe('on');
    const haltAll = await auditOf(server, 'halt-all');
    const pause = (await auditOf(server, 'rollout.pause')).filter((e) => e.targetId === rollout.id);
    const kill = (await auditOf(server, 'flag.kill')).filter((e) => e.targetId === 'new-checkout');
    expect([haltAll.length, pause.length, kill.length]).toEqual([1, 1, 1]);
    expect(new Set([haltAll[0]!.at, pause[0]!.at, kill[0]!.at]).size).toBe(1);
    // Stays paused with its flag off; resume turns the flag on again at the step's weight.
    server.advance(60);
    expect((await getRollout(server, rollout.id)).stepIndex).toBe(0);
    await server.call('POST', `/api/v1/rollouts/${rollout.id}/resume`, { body: {} });
    const resumed = await flagOf(server);
    expect([resumed.environments.staging.state, catchAllOn(resumed)]).toEqual(['on', 5]);
  });

  it('without killFlags pauses the flag rollout and leaves its flag on', async () => {
    server = await testServer();
    const rollout = await createRollout(server, flagRolloutSpec());
    const response = await server.call('POST', '/api/v1/halt-all', {
      as: 'vic-viewer',
      body: {},
    });
    expect((response.json() as { flagsKilled?: string[] }).flagsKilled ?? []).toEqual([]);
    expect((await getRollout(server, rollout.id)).state).toBe('paused');
    expect((await flagOf(server)).environments.staging.state).toBe('on');
  });
});
