import { buildApp } from '../mock-server/app';
import { ManualClock } from '../mock-server/clock';
import { rolloutSpecSchema } from '../src/domain';
import { summarize, type BenchResult } from './bench-result';

export const name = 'rollout rollback';

const RUNS = 10;
const MIN_SAMPLES = 20;

/** A canary of checkout in staging whose new version answers 4 % of its requests 5xx. */
const spec = (index: number) =>
  rolloutSpecSchema.parse({
    kind: 'canary',
    name: `Defective canary ${index}`,
    service: 'checkout',
    environment: 'staging',
    newVersion: `2.4.${index}`,
    steps: [
      { weight: 5, waitSeconds: 60 },
      { weight: 50, waitSeconds: 60 },
    ],
    analysis: {
      metrics: ['http_5xx_rate', 'latency_p99'],
      minSamples: MIN_SAMPLES,
      confidence: 0.95,
      tolerance: 0.25,
    },
    defect: { fivexxPercent: 4, addedLatencyMs: 0 },
  });

/**
 * From the start of a defective canary to its rollback: ticks (the judge's minimum sample must
 * be respected, so never fewer than MIN_SAMPLES) and the wall time for those ticks, each with
 * one GET of the rollout.
 */
export async function run(): Promise<BenchResult[]> {
  const ticks: number[] = [];
  const elapsed: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const clock = new ManualClock();
    const built = await buildApp({
      database: ':memory:',
      clock,
      sampleData: false,
      config: { tickMs: 1000 },
    });
    const { app } = built;
    const session = await app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { user: 'sam-sre' },
    });
    const headers = { authorization: `Bearer ${(session.json() as { token: string }).token}` };
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/rollouts',
      headers,
      payload: spec(i),
    });
    const id = (created.json() as { id: string }).id;
    const state = async () =>
      ((await app.inject({ url: `/api/v1/rollouts/${id}`, headers })).json() as { state: string })
        .state;
    const started = performance.now();
    let count = 0;
    while (count < 300 && (await state()) !== 'rolled-back') {
      clock.advance(1000);
      count++;
    }
    elapsed.push(performance.now() - started);
    if ((await state()) !== 'rolled-back')
      throw new Error('the defective canary was not rolled back within 300 ticks');
    if (count < MIN_SAMPLES)
      throw new Error(`rolled back after ${count} ticks, before the minimum`);
    ticks.push(count);
    await built.app.close();
  }
  return [
    summarize('defective canary → rolled back', 'ticks', ticks, 2 * MIN_SAMPLES),
    summarize('defective canary → rolled back (server time)', 'ms', elapsed, null),
  ];
}
