import type { Rollout } from '../../src/domain';
import type { TestServer } from './test-server';

/** A canary of checkout in staging: 5 → 25 → 50 → 100 %, 30 s a step, judged on 5xx and p99. */
export function canarySpec(overrides: Record<string, unknown> = {}) {
  return {
    kind: 'canary',
    name: 'Checkout 2.4.0',
    service: 'checkout',
    environment: 'staging',
    newVersion: '2.4.0',
    steps: [
      { weight: 5, waitSeconds: 30 },
      { weight: 25, waitSeconds: 30 },
      { weight: 50, waitSeconds: 30 },
      { weight: 100, waitSeconds: 0 },
    ],
    analysis: {
      metrics: ['http_5xx_rate', 'latency_p99'],
      minSamples: 20,
      confidence: 0.95,
      tolerance: 0.25,
    },
    ...overrides,
  };
}

export async function createRollout(
  server: TestServer,
  body: unknown,
  as = 'dev-dana',
): Promise<Rollout> {
  const response = await server.call('POST', '/api/v1/rollouts', { as, body });
  if (response.statusCode !== 201) throw new Error(`create failed: ${response.body}`);
  return response.json() as Rollout;
}

export async function getRollout(server: TestServer, id: string): Promise<Rollout> {
  return (await server.call('GET', `/api/v1/rollouts/${id}`)).json() as Rollout;
}

/** Polls a rollout on a real clock until it leaves `progressing` (at most `beats` × 500 ms). */
export async function settledRollout(
  server: TestServer,
  id: string,
  beats = 120,
): Promise<Rollout> {
  let rollout = await getRollout(server, id);
  for (let beat = 0; beat < beats && rollout.state === 'progressing'; beat++) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    rollout = await getRollout(server, id);
  }
  return rollout;
}

/** A guarded rollout of new-checkout on checkout in staging: 5 → 25 → 50 → 100 %, 30 s a step. */
export function flagRolloutSpec(overrides: Record<string, unknown> = {}) {
  return {
    kind: 'flag',
    name: 'New checkout for everyone',
    flagKey: 'new-checkout',
    service: 'checkout',
    environment: 'staging',
    steps: [
      { weight: 5, waitSeconds: 30 },
      { weight: 25, waitSeconds: 30 },
      { weight: 50, waitSeconds: 30 },
      { weight: 100, waitSeconds: 0 },
    ],
    analysis: {
      metrics: ['http_5xx_rate', 'latency_p99'],
      minSamples: 20,
      confidence: 0.95,
      tolerance: 0.25,
    },
    ...overrides,
  };
}

/** The reason a canary rolled back on its 5xx rate gives: the judge's numbers on pooled requests. */
export const CANARY_5XX_ROLLBACK = new RegExp(
  String.raw`^rolled back: canary 5xx rate [\d.]+ % vs stable [\d.]+ %, \+[\d.]+ points ` +
    String.raw`\[[\d.]+, [\d.]+\], p (<|=) [\d.]+, [\d,]+ vs [\d,]+ requests, \d+ samples each`,
);
