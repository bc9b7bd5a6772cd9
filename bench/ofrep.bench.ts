import { Worker } from 'node:worker_threads';
import { buildApp } from '../mock-server/app';
import { newCheckoutFlag, type FlagSpec } from '../src/domain/flags';
import { summarize, type BenchResult } from './bench-result';

export const name = 'OFREP';

/** Budget: at least 5 000 single evaluations per second, i.e. at most 200 µs each. */
const SINGLE_BUDGET_US = 200;
const RUNS = 5;
/** Each run sends requests for this long (ms), after a warm-up of the same length. */
const RUN_MS = 2_000;
/** Flags in the environment besides new-checkout, so the bulk form has something to do. */
const EXTRA_FLAGS = 20;

function extraFlag(index: number): FlagSpec {
  const flag = newCheckoutFlag(5 + index * 4);
  return { ...flag, key: `bench-flag-${index}`, description: `bench flag ${index}` };
}

async function measure(
  address: URL,
  path: string,
  apiKey: string,
  clients: number,
): Promise<number[]> {
  const worker = new Worker(new URL('./ofrep-clients-worker.mjs', import.meta.url), {
    workerData: {
      host: address.hostname,
      port: Number(address.port),
      path,
      apiKey,
      clients,
      ms: RUN_MS,
    },
  });
  const runOnce = () =>
    new Promise<{ done: number; elapsed: number }>((resolve, reject) => {
      worker.once('message', (message: { done: number; elapsed: number } | { error: string }) =>
        'error' in message ? reject(new Error(message.error)) : resolve(message),
      );
      worker.postMessage('run');
    });
  try {
    await runOnce(); // warm-up: compiled targeting, JIT, sockets
    const microsPerRequest: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const { done, elapsed } = await runOnce();
      microsPerRequest.push((elapsed * 1000) / done);
    }
    return microsPerRequest;
  } finally {
    await worker.terminate();
  }
}

/**
 * OFREP evaluations against the real server on loopback, from one keep-alive connection and from
 * 50 concurrent clients, single-flag and bulk (21 flags). Reported as µs per request: 200 µs per
 * single evaluation is 5 000 evaluations per second.
 */
export async function run(): Promise<BenchResult[]> {
  const { app, context } = await buildApp({
    database: ':memory:',
    sampleData: false,
    ticking: false,
  });
  const admin = { name: 'ada-admin', role: 'admin' as const };
  const session = context.identity.createSession('ada-admin');
  if (!session) throw new Error('no demo session');
  for (let i = 0; i < EXTRA_FLAGS; i++) {
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/flags',
      headers: { authorization: `Bearer ${session.token}` },
      payload: extraFlag(i),
    });
    if (created.statusCode !== 201) throw new Error(`bench flag: ${created.body}`);
  }
  const keys = (
    await app.inject({
      method: 'GET',
      url: '/api/v1/ofrep-keys',
      headers: { authorization: `Bearer ${session.token}` },
    })
  ).json() as { keys: { environment: string; key: string }[] };
  const apiKey = keys.keys.find((k) => k.environment === 'production')?.key;
  if (!apiKey) throw new Error(`no production key for ${admin.name}`);
  const address = new URL(await app.listen({ host: '127.0.0.1', port: 0 }));
  try {
    const single = '/ofrep/v1/evaluate/flags/new-checkout';
    const bulk = '/ofrep/v1/evaluate/flags';
    const flags = EXTRA_FLAGS + 1;
    return [
      summarize(
        'single flag, 1 connection: µs per evaluation (≤ 200 = 5 000/s)',
        'µs',
        await measure(address, single, apiKey, 1),
        SINGLE_BUDGET_US,
      ),
      summarize(
        'single flag, 50 clients: µs per evaluation (≤ 200 = 5 000/s)',
        'µs',
        await measure(address, single, apiKey, 50),
        SINGLE_BUDGET_US,
      ),
      summarize(
        `bulk (${flags} flags), 1 connection: µs per request`,
        'µs',
        await measure(address, bulk, apiKey, 1),
        null,
      ),
      summarize(
        `bulk (${flags} flags), 50 clients: µs per request`,
        'µs',
        await measure(address, bulk, apiKey, 50),
        null,
      ),
    ];
  } finally {
    await app.close();
  }
}
