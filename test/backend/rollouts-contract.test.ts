import { describe, expect, it } from 'vitest';
import type { RolloutSpec } from '@/domain/rollouts';
import { contractServer, failure } from './contract-server';

// The rollouts part of the HTTP adapter against the real server, over a loopback socket.
const { signIn } = contractServer();

const spec = (overrides: Partial<RolloutSpec> = {}): RolloutSpec =>
  ({
    kind: 'canary',
    name: 'Search 5.0.0',
    service: 'search',
    environment: 'staging',
    newVersion: '5.0.0',
    steps: [
      { weight: 10, waitSeconds: 30 },
      { weight: 100, waitSeconds: 0 },
    ],
    analysis: { metrics: ['http_5xx_rate'], minSamples: 20, confidence: 0.95, tolerance: 0.25 },
    ...overrides,
  }) as RolloutSpec;

describe('the rollouts capability over HTTP', () => {
  it('creates, lists, reads and controls a rollout, answering parsed rollouts', async () => {
    const rollouts = (await signIn('dev-dana')).rollouts!;
    const created = await rollouts.createRollout(spec());
    expect(created).toMatchObject({ state: 'progressing', weight: 10, stepIndex: 0 });
    expect((await rollouts.listRollouts()).map((r) => r.id)).toContain(created.id);
    expect((await rollouts.getRollout(created.id)).spec).toEqual(created.spec);
    const paused = await rollouts.controlRollout(created.id, 'pause', { reason: 'lunch' });
    expect(paused).toMatchObject({ state: 'paused', reason: 'paused by dev-dana: lunch' });
    const promoted = await rollouts.controlRollout(created.id, 'promote');
    expect(promoted).toMatchObject({ state: 'succeeded', weight: 100 });
  });

  it('turns the server’s refusals into domain errors: invalid with the field, forbidden, refused, not found', async () => {
    const dev = (await signIn('dev-dana')).rollouts!;
    const invalid = await failure(
      dev.createRollout(spec({ name: 'Search 5.0.1', newVersion: '5.0 beta' })),
    );
    expect(invalid.kind).toBe('invalid');
    expect(invalid.issues.map((i) => i.path)).toEqual(['newVersion']);

    const created = await dev.createRollout(spec({ name: 'Search 5.0.2', service: 'catalog' }));
    const viewer = (await signIn('vic-viewer')).rollouts!;
    expect((await failure(viewer.controlRollout(created.id, 'promote'))).kind).toBe('forbidden');
    // Stopping is anyone's.
    expect((await viewer.controlRollout(created.id, 'abort')).state).toBe('aborted');
    const refused = await failure(dev.controlRollout(created.id, 'pause'));
    expect(refused.kind).toBe('refused');
    expect(refused.message).toMatch(/aborted cannot be told to pause/);
    expect((await failure(dev.getRollout('no-such-rollout'))).kind).toBe('not-found');
  });
});
