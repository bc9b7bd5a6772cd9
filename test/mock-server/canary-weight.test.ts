import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { PROMTOOL, prometheusInstalled } from './real-prometheus';
import { canarySpec, createRollout, getRollout } from './rollouts-fixtures';
import { testServer, type TestServer } from './test-server';

// The canary's weight on the public /metrics: what a load balancer in front of a real service
// reads to send the canary its share (examples/shop's traffic generator does).

let server: TestServer | null = null;
afterEach(async () => {
  await server?.app.close();
  server = null;
});

/** The `faultline_canary_weight` samples of /metrics, by `service/environment`. */
async function canaryWeights(on: TestServer): Promise<Record<string, number>> {
  const response = await on.app.inject({ method: 'GET', url: '/metrics' });
  expect(response.statusCode).toBe(200);
  const weights: Record<string, number> = {};
  for (const line of response.body.split('\n')) {
    const match = /^faultline_canary_weight\{service="([^"]*)",environment="([^"]*)"\} (\S+)$/.exec(
      line,
    );
    if (match) weights[`${match[1]}/${match[2]}`] = Number(match[3]);
  }
  return weights;
}

describe('the canary weight on /metrics', () => {
  it('follows a canary rollout step by step, as the share its canary is routed', async () => {
    server = await testServer();
    expect(await canaryWeights(server)).toEqual({});
    const rollout = await createRollout(server, canarySpec());
    expect(await canaryWeights(server)).toEqual({ 'checkout/staging': 0.05 });
    server.advance(31);
    expect((await getRollout(server, rollout.id)).weight).toBe(25);
    expect(await canaryWeights(server)).toEqual({ 'checkout/staging': 0.25 });
    server.advance(30);
    expect(await canaryWeights(server)).toEqual({ 'checkout/staging': 0.5 });
  });

  it('keeps the weight while the rollout is paused, and drops the series when it is aborted', async () => {
    server = await testServer();
    const rollout = await createRollout(server, canarySpec());
    const control = (action: string) =>
      server!.call('POST', `/api/v1/rollouts/${rollout.id}/${action}`, {
        as: 'ada-admin',
        body: { reason: 'checking the gauge' },
      });
    expect((await control('pause')).statusCode).toBe(200);
    expect(await canaryWeights(server)).toEqual({ 'checkout/staging': 0.05 });
    expect((await control('abort')).statusCode).toBe(200);
    expect(await canaryWeights(server)).toEqual({});
  });

  it('drops the series once a defective canary is rolled back', async () => {
    server = await testServer();
    const rollout = await createRollout(
      server,
      canarySpec({ defect: { fivexxPercent: 4, addedLatencyMs: 0 } }),
    );
    expect(await canaryWeights(server)).toEqual({ 'checkout/staging': 0.05 });
    server.advance(21);
    expect((await getRollout(server, rollout.id)).state).toBe('rolled-back');
    expect(await canaryWeights(server)).toEqual({});
  });

  it('drops the series once the canary is promoted: its build is the new stable', async () => {
    server = await testServer();
    const rollout = await createRollout(server, canarySpec());
    server.advance(61);
    expect(await canaryWeights(server)).toEqual({ 'checkout/staging': 0.5 });
    server.advance(40);
    expect((await getRollout(server, rollout.id)).state).toBe('succeeded');
    expect(await canaryWeights(server)).toEqual({});
  });

  it.skipIf(!prometheusInstalled('the canary weight lint'))(
    'passes promtool’s exposition lint with a weight in it',
    async () => {
      server = await testServer();
      await createRollout(server, canarySpec());
      server.advance(1);
      const body = (await server.app.inject({ method: 'GET', url: '/metrics' })).body;
      expect(body).toContain('# TYPE faultline_canary_weight gauge');
      const check = spawnSync(PROMTOOL, ['check', 'metrics'], { input: body, encoding: 'utf8' });
      expect(check.stdout + check.stderr).toBe('');
      expect(check.status).toBe(0);
    },
  );
});
