import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp, type FaultlineApp } from '../../mock-server/app';
import { ManualClock } from '../../mock-server/clock';
import type { Experiment, Rollout } from '../../src/domain';
import type { Flag } from '../../src/domain/flags';
import { canarySpec, flagRolloutSpec } from './rollouts-fixtures';
import { fivexxOnOneHostSpec, START } from './test-server';

// Rollouts across a restart on the same database file. A guarded flag rollout's flag carries
// its weight, so jumping ahead would expose users nobody judged; a held rollout must not move
// until a person resumes it.
let dir: string;
let clock: ManualClock;
const open: FaultlineApp[] = [];
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'faultline-rollout-restart-'));
  clock = new ManualClock(START);
});
afterEach(async () => {
  for (const app of open.splice(0)) await app.app.close();
  rmSync(dir, { recursive: true, force: true });
});

async function start(user = 'dev-dana') {
  const faultline = await buildApp({
    database: path.join(dir, 'faultline.sqlite'),
    clock,
    sampleData: false,
    config: { tickMs: 1000 },
  });
  open.push(faultline);
  const session = await faultline.app.inject({
    method: 'POST',
    url: '/api/v1/session',
    payload: { user },
  });
  const headers = { authorization: `Bearer ${(session.json() as { token: string }).token}` };
  const call = async <T>(
    method: 'GET' | 'POST',
    url: string,
    payload?: Record<string, unknown>,
  ) => {
    const response = await faultline.app.inject({
      method,
      url,
      headers,
      ...(payload === undefined ? {} : { payload }),
    });
    if (response.statusCode >= 300) throw new Error(`${url}: ${response.body}`);
    return response.json() as T;
  };
  return {
    faultline,
    call,
    rollout: (id: string) => call<Rollout>('GET', `/api/v1/rollouts/${id}`),
    /** The share new-checkout's rule for everyone serves `on` in staging, %. */
    flagShare: async () => {
      const flag = await call<Flag>('GET', '/api/v1/flags/new-checkout');
      const last = flag.environments.staging.rules.at(-1);
      return last?.serve.kind === 'rollout'
        ? (last.serve.split.find((e) => e.variant === 'on')?.weight ?? null)
        : null;
    },
    async stop() {
      open.splice(open.indexOf(faultline), 1);
      await faultline.app.close();
    },
  };
}

describe('a restart in the middle of a guarded flag rollout', () => {
  it('starts the current step again with the flag where it was, and never jumps ahead', async () => {
    const first = await start();
    const created = await first.call<Rollout>('POST', '/api/v1/rollouts', flagRolloutSpec());
    clock.advance(45_000); // into step 2 (25 %), 15 s of its 30 s gone
    expect(await first.flagShare()).toBe(25);
    await first.stop();

    clock.advance(600_000); // ten minutes down: longer than every remaining wait
    const second = await start();
    expect(await second.rollout(created.id)).toMatchObject({
      state: 'progressing',
      stepIndex: 1,
      weight: 25,
    });
    expect(await second.flagShare()).toBe(25);
    clock.advance(29_000);
    expect((await second.rollout(created.id)).stepIndex).toBe(1);
    expect(await second.flagShare()).toBe(25);
    clock.advance(2_000);
    expect((await second.rollout(created.id)).stepIndex).toBe(2);
    expect(await second.flagShare()).toBe(50);
  });

  it('judges a step whose time passed while the server was down again before promoting it, one step at a time', async () => {
    const at = (seconds: number) => new Date(START + seconds * 1000).toISOString();
    const first = await start();
    const created = await first.call<Rollout>(
      'POST',
      '/api/v1/rollouts',
      flagRolloutSpec({
        steps: [
          { weight: 5, waitUntil: at(120) },
          { weight: 25, waitUntil: at(180) },
          { weight: 50, waitSeconds: 30 },
          { weight: 100, waitSeconds: 0 },
        ],
      }),
    );
    clock.advance(60_000); // its analysis passed, its time had not come
    await first.stop();

    clock.advance(600_000); // ten minutes down: both times pass
    const second = await start();
    expect(await second.rollout(created.id)).toMatchObject({ state: 'progressing', stepIndex: 0 });
    expect(await second.flagShare()).toBe(5);
    clock.advance(19_000); // too few samples since the restart to judge
    expect((await second.rollout(created.id)).stepIndex).toBe(0);
    clock.advance(2_000);
    expect((await second.rollout(created.id)).stepIndex).toBe(1);
    expect(await second.flagShare()).toBe(25);
    clock.advance(19_000); // step 2's time has passed too, yet it is judged on its own samples
    expect((await second.rollout(created.id)).stepIndex).toBe(1);
    clock.advance(2_000);
    expect((await second.rollout(created.id)).stepIndex).toBe(2);
    expect(await second.flagShare()).toBe(50);
  });

  it('keeps a paused rollout paused, its flag at the paused weight, until a person resumes it', async () => {
    const first = await start();
    const created = await first.call<Rollout>('POST', '/api/v1/rollouts', flagRolloutSpec());
    clock.advance(31_000); // step 2, 25 %
    await first.call('POST', `/api/v1/rollouts/${created.id}/pause`, { reason: 'lunch' });
    await first.stop();

    clock.advance(600_000);
    const second = await start();
    clock.advance(120_000);
    expect(await second.rollout(created.id)).toMatchObject({
      state: 'paused',
      stepIndex: 1,
      weight: 25,
    });
    expect(await second.flagShare()).toBe(25);

    await second.call('POST', `/api/v1/rollouts/${created.id}/resume`, {});
    clock.advance(29_000);
    expect((await second.rollout(created.id)).stepIndex).toBe(1);
    clock.advance(2_000);
    expect((await second.rollout(created.id)).stepIndex).toBe(2);
  });
});

describe('a restart while a rollout is held', () => {
  it('keeps a canary held by a chaos abort held, at its weight, until a person resumes it', async () => {
    const first = await start('sam-sre');
    const created = await first.call<Rollout>(
      'POST',
      '/api/v1/rollouts',
      canarySpec({
        steps: [
          { weight: 5, waitSeconds: 30 },
          { weight: 100, waitSeconds: 0 },
        ],
      }),
    );
    // 2 s of latency on one checkout host: its 504s trip the experiment's 5xx condition.
    const experiment = await first.call<Experiment>(
      'POST',
      '/api/v1/experiments',
      fivexxOnOneHostSpec('checkout', { magnitude: 2000 }),
    );
    await first.call('POST', `/api/v1/experiments/${experiment.id}/start`, {
      version: experiment.version,
    });
    for (let i = 0; i < 20 && (await first.rollout(created.id)).state !== 'held'; i++) {
      clock.advance(1_000);
    }
    const held = await first.rollout(created.id);
    expect([held.state, held.weight]).toEqual(['held', 5]);
    await first.stop();

    clock.advance(600_000); // longer than every wait: a restart must not promote it
    const second = await start();
    clock.advance(120_000);
    expect(await second.rollout(created.id)).toMatchObject({
      state: 'held',
      stepIndex: 0,
      weight: 5,
      reason: held.reason,
    });
    const resumed = await second.call<Rollout>('POST', `/api/v1/rollouts/${created.id}/resume`, {});
    expect([resumed.state, resumed.stepIndex]).toEqual(['progressing', 0]);
  });
});
