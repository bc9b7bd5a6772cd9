import { buildApp } from '../mock-server/app';
import { ManualClock } from '../mock-server/clock';
import { rolloutSpecSchema, type Rollout } from '../src/domain';
import { summarize, type BenchResult } from './bench-result';

export const name = 'rollout rollback';

const RUNS = 10;
const MIN_SAMPLES = 20;
const TICK_MS = 1000;

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
  /** The fewer of canary and stable samples in the analysis that rolled back, per run. */
  const judgedOn: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const clock = new ManualClock();
    const built = await buildApp({
      database: ':memory:',
      clock,
      sampleData: false,
      config: { tickMs: TICK_MS },
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
    const rollout = async () =>
      (await app.inject({ url: `/api/v1/rollouts/${id}`, headers })).json() as Rollout;
    const state = async () => (await rollout()).state;
    const started = performance.now();
    let count = 0;
    while (count < 300 && (await state()) !== 'rolled-back') {
      clock.advance(TICK_MS);
      count++;
    }
    elapsed.push(performance.now() - started);
    if ((await state()) !== 'rolled-back')
      throw new Error('the defective canary was not rolled back within 300 ticks');
    if (count < MIN_SAMPLES)
      throw new Error(`rolled back after ${count} ticks, before the minimum`);
    ticks.push(count);
    // The judge's minimum sample: every regression the rollback rests on had enough on each side.
    const failed = (await rollout()).analyses.find((a) => a.outcome === 'fail');
    const regressions = failed?.judgements.filter((j) => j.verdict.regression) ?? [];
    if (regressions.length === 0) throw new Error('rolled back without a failed analysis');
    const fewest = Math.min(
      ...regressions.map((j) => Math.min(j.verdict.targetCount, j.verdict.controlCount)),
    );
    if (fewest < MIN_SAMPLES)
      throw new Error(`rolled back on ${fewest} samples, fewer than the minimum ${MIN_SAMPLES}`);
    judgedOn.push(fewest);
    await built.app.close();
  }
  return [
    summarize('defective canary → rolled back', 'ticks', ticks, 2 * MIN_SAMPLES),
    summarize(
      `defective canary → rolled back, simulated time (1 s tick)`,
      'ms',
      ticks.map((t) => t * TICK_MS),
      null,
    ),
    summarize('defective canary → rolled back (server time)', 'ms', elapsed, null),
    summarize(
      `samples each side in the failing analysis (minimum ${MIN_SAMPLES})`,
      'samples',
      judgedOn,
      null,
    ),
  ];
}
