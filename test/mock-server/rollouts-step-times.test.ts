import { afterEach, describe, expect, it } from 'vitest';
import type { Flag } from '../../src/domain/flags';
import { canarySpec, createRollout, flagRolloutSpec, getRollout } from './rollouts-fixtures';
import { START, testServer, type TestServer } from './test-server';

let server: TestServer | null = null;
afterEach(async () => {
  await server?.app.close();
  server = null;
});

/** START plus `seconds`, as an ISO-8601 date-time with an offset of +01:00. */
function inParis(seconds: number): string {
  const at = new Date(START + seconds * 1000 + 3_600_000).toISOString();
  return `${at.slice(0, 19)}+01:00`;
}

/** The share the flag's last rule for everyone gives its "on" variant in staging, %. */
async function flagShare(s: TestServer): Promise<number | null> {
  const flag = (await s.call('GET', '/api/v1/flags/new-checkout')).json() as Flag;
  const last = flag.environments.staging.rules.at(-1);
  return last?.serve.kind === 'rollout'
    ? (last.serve.split.find((e) => e.variant === 'on')?.weight ?? null)
    : null;
}

describe('rollout steps with a time', () => {
  it('keeps a healthy canary at a step until its time, though its analysis passes, then promotes it', async () => {
    server = await testServer();
    const rollout = await createRollout(
      server,
      canarySpec({
        steps: [
          { weight: 5, waitUntil: inParis(90) },
          { weight: 25, waitUntil: inParis(150) },
          { weight: 100, waitSeconds: 0 },
        ],
      }),
    );
    expect(rollout.spec.steps[0]).toEqual({
      weight: 5,
      waitSeconds: null,
      waitUntil: inParis(90),
    });
    // 89 samples each side: the judge has looked every 20 and found nothing.
    server.advance(89);
    const before = await getRollout(server, rollout.id);
    expect([before.state, before.stepIndex, before.weight]).toEqual(['progressing', 0, 5]);
    expect(before.reason).toBeNull();
    server.advance(1);
    const promoted = await getRollout(server, rollout.id);
    expect([promoted.state, promoted.stepIndex, promoted.weight]).toEqual(['progressing', 1, 25]);
    expect(promoted.analyses.map((a) => [a.t, a.outcome])).toEqual([[START + 90_000, 'pass']]);
    // The next time is an absolute one: 60 s after the first, whenever step 2 began.
    server.advance(59);
    expect((await getRollout(server, rollout.id)).stepIndex).toBe(1);
    server.advance(1);
    const done = await getRollout(server, rollout.id);
    expect([done.state, done.weight]).toEqual(['succeeded', 100]);
  });

  it('still rolls a defective canary back at its first analysis, long before its time', async () => {
    server = await testServer();
    const rollout = await createRollout(
      server,
      canarySpec({
        steps: [
          { weight: 5, waitUntil: inParis(3600) },
          { weight: 100, waitSeconds: 0 },
        ],
        defect: { fivexxPercent: 4, addedLatencyMs: 0 },
      }),
    );
    server.advance(21);
    const after = await getRollout(server, rollout.id);
    expect([after.state, after.weight]).toEqual(['rolled-back', 0]);
    expect(after.reason).toMatch(/^rolled back: canary 5xx rate/);
  });

  it('keeps a guarded flag at its step weight until the time, then raises it', async () => {
    server = await testServer();
    const rollout = await createRollout(
      server,
      flagRolloutSpec({
        steps: [
          { weight: 5, waitUntil: inParis(60) },
          { weight: 100, waitSeconds: 0 },
        ],
      }),
    );
    server.advance(59);
    expect((await getRollout(server, rollout.id)).stepIndex).toBe(0);
    expect(await flagShare(server)).toBe(5);
    server.advance(1);
    expect((await getRollout(server, rollout.id)).state).toBe('succeeded');
    expect(await flagShare(server)).toBe(100);
  });

  it('refuses a time that has passed, or one not after the step before, naming the step', async () => {
    server = await testServer();
    const refused = async (steps: unknown[]) => {
      const response = await server!.call('POST', '/api/v1/rollouts', {
        as: 'dev-dana',
        body: canarySpec({ steps }),
      });
      expect(response.statusCode).toBe(400);
      return (
        response.json() as { error: { details: { issues: { path: string; message: string }[] } } }
      ).error.details.issues;
    };
    expect(
      await refused([
        { weight: 5, waitSeconds: 30 },
        { weight: 25, waitUntil: inParis(0) },
        { weight: 100, waitSeconds: 0 },
      ]),
    ).toEqual([
      {
        path: 'steps.1.waitUntil',
        message: 'choose a time in the future (it is 2025-01-06T09:00:00.000Z now)',
      },
    ]);
    expect(
      (
        await refused([
          { weight: 5, waitUntil: inParis(120) },
          { weight: 25, waitUntil: inParis(60) },
        ])
      ).map((i) => i.path),
    ).toEqual(['steps.1.waitUntil']);
    expect(
      (await refused([{ weight: 5, waitSeconds: 30, waitUntil: inParis(60) }])).map((i) => i.path),
    ).toEqual(['steps.0.waitUntil']);
    expect(
      (await server.call('GET', '/api/v1/rollouts')).json() as { rollouts: unknown[] },
    ).toEqual({ rollouts: [] });
  });
});
