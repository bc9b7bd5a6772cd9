import { afterEach, describe, expect, it } from 'vitest';
import type { MetricValues } from '../../src/domain';
import { canarySpec, createRollout, getRollout } from './rollouts-fixtures';
import { START, testServer, type TestServer } from './test-server';

let server: TestServer | null = null;
afterEach(async () => {
  await server?.app.close();
  server = null;
});

/** One side of checkout in staging for one beat, as a real metrics source would read it. */
function side(t: number, version: 'canary' | 'stable', fivexx: number, requests: number) {
  const values: MetricValues = {
    cpu: 30,
    memory: 40,
    error_rate: fivexx,
    http_4xx_rate: 0,
    http_5xx_rate: fivexx,
    latency_p99: 120,
    request_rate: requests,
  };
  return {
    t,
    service: 'checkout',
    environment: 'staging' as const,
    group: 'all' as const,
    version,
    values,
  };
}

/** Beats of checkout in staging: stable's 19 requests a beat at 1 % 5xx, the canary's from `canary`. */
function beats(
  server: TestServer,
  count: number,
  canary: (beat: number) => { fivexx: number; requests: number },
) {
  for (let beat = 1; beat <= count; beat++) {
    const t = START + beat * 1000;
    const { fivexx, requests } = canary(beat);
    server.rollouts.tick(t, [side(t, 'canary', fivexx, requests), side(t, 'stable', 1, 19)]);
  }
}

// The canary's beats are mostly 0 % with the odd 100 %: judged beat by beat (Mann-Whitney) its
// median is below stable's 1 %, so a defective canary would read "lower" and pass its step.
describe('a canary with little traffic', () => {
  it('is rolled back on its pooled requests: 20 % of them 5xx against 1 %', async () => {
    server = await testServer();
    const rollout = await createRollout(
      server,
      canarySpec({ analysis: { ...canarySpec().analysis, metrics: ['http_5xx_rate'] } }),
    );
    // A request a beat, every fifth one answered 5xx: each beat reads 0 % or 100 %.
    beats(server, 60, (beat) => ({ fivexx: beat % 5 === 0 ? 100 : 0, requests: 1 }));
    const after = await getRollout(server, rollout.id);
    expect([after.state, after.weight]).toEqual(['rolled-back', 0]);
    const verdict = after.analyses.at(-1)!.judgements[0]!.verdict;
    expect(verdict).toMatchObject({ method: 'two-proportions', regression: true });
    // Newcombe's interval for 4 of 20 against 3.8 of 380: [0.070, 0.406].
    expect(after.reason).toBe(
      'rolled back: canary 5xx rate 20.0 % vs stable 1.0 %, +19.0 points [7.0, 40.6], ' +
        'p < 0.001, 20 vs 380 requests, 20 samples each',
    );
  });

  it('holds, never promotes, while its requests are too few to judge', async () => {
    server = await testServer();
    const rollout = await createRollout(
      server,
      canarySpec({ analysis: { ...canarySpec().analysis, metrics: ['http_5xx_rate'] } }),
    );
    // A request every 4 s: 15 requests in 60 beats, twice the step's wait.
    beats(server, 60, () => ({ fivexx: 0, requests: 0.25 }));
    const after = await getRollout(server, rollout.id);
    expect([after.state, after.stepIndex, after.weight]).toEqual(['progressing', 0, 5]);
    expect(after.reason).toBe(
      'holding step 1: too few requests on canary or stable to judge 5xx rate yet ' +
        '(no traffic is no evidence)',
    );
    expect(after.analyses).toEqual([]);
  });
});
