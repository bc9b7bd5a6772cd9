import { performance } from 'node:perf_hooks';
import { buildApp } from '../mock-server/app';
import { ManualClock } from '../mock-server/clock';
import { newCheckoutFlag, SAMPLE_SEGMENTS } from '../src/domain/flags';
import { atOnce } from '../test/mock-server/at-once';
import { summarize, type BenchResult } from './bench-result';

export const name = 'flag cohorts';

/** Flags listing checkout besides the sample one: each is placed in every environment. */
const EXTRA_FLAGS = 20;
const RUNS = 60;
/** A tick must leave half of the shortest tick (100 ms) free, in ms. */
const STEADY_BUDGET_MS = 50;
/** Placing one changed flag again happens in the next tick: it must still fit the shortest tick, in ms. */
const CHANGED_BUDGET_MS = 100;

/**
 * What weaving flags into the simulation costs a tick: nothing to recompute (the usual case),
 * one flag changed (its cohorts placed again), and a segment changed (every flag placed again).
 */
export async function run(): Promise<BenchResult[]> {
  const clock = new ManualClock();
  const { app, engine, context } = await buildApp({
    database: ':memory:',
    clock,
    sampleData: false,
    ticking: false,
    config: { tickMs: 1000 },
  });
  const steady: number[] = [];
  const flagChanged: number[] = [];
  const segmentChanged: number[] = [];
  try {
    // One session for every call: sign-ins are rate-limited, and a bench signs in once.
    const session = await app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { user: 'ada-admin' },
    });
    if (session.statusCode !== 200)
      throw new Error(`sign-in: ${session.statusCode} ${session.body}`);
    const token = session.json().token as string;
    const call = async (method: 'POST' | 'PUT', url: string, body: unknown) => {
      const answer = await app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${token}` },
        payload: body as object,
      });
      if (answer.statusCode >= 300)
        throw new Error(`${method} ${url}: ${answer.statusCode} ${answer.body}`);
      return answer.json();
    };
    for (let i = 0; i < EXTRA_FLAGS; i++)
      await call('POST', '/api/v1/flags', {
        ...newCheckoutFlag(5 + i),
        key: `checkout-variant-${i}`,
      });
    const timedTick = () => {
      clock.advance(1000);
      const started = performance.now();
      atOnce(engine.tick());
      return performance.now() - started;
    };
    for (let i = 0; i < 5; i++) timedTick();

    for (let i = 0; i < RUNS; i++) steady.push(timedTick());
    for (let i = 0; i < RUNS; i++) {
      await call('POST', `/api/v1/flags/checkout-variant-0/${i % 2 === 0 ? 'kill' : 'enable'}`, {
        environment: 'production',
      });
      flagChanged.push(timedTick());
    }
    const segment = SAMPLE_SEGMENTS[0];
    if (!segment) throw new Error('no sample segment');
    for (let i = 0; i < Math.min(RUNS, 20); i++) {
      const current = context.db
        .prepare('SELECT version FROM segments WHERE key = ?')
        .get(segment.key) as { version: number };
      await call('PUT', `/api/v1/segments/${segment.key}`, {
        version: current.version,
        spec: { ...segment, description: `edit ${i}` },
      });
      segmentChanged.push(timedTick());
    }
  } finally {
    await app.close();
  }
  return [
    summarize(
      `tick, ${EXTRA_FLAGS + 1} flags splitting checkout, nothing changed`,
      'ms',
      steady,
      STEADY_BUDGET_MS,
    ),
    summarize(
      'tick right after one flag changed (its cohorts placed again)',
      'ms',
      flagChanged,
      CHANGED_BUDGET_MS,
    ),
    summarize(
      `tick right after a segment changed (${EXTRA_FLAGS + 1} flags placed again)`,
      'ms',
      segmentChanged,
      null,
    ),
  ];
}
