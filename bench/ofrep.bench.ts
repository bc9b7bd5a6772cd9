import { Worker } from 'node:worker_threads';
import { buildApp } from '../mock-server/app';
import { newCheckoutFlag, type FlagSpec } from '../src/domain/flags';
import { summarize, type BenchResult } from './bench-result';
import { postInOneWrite } from './bench-server';
import { ClientProcess, next } from './client-process';

export const name = 'OFREP';

/** Budget: at least 5 000 single evaluations per second, i.e. at most 200 µs each. */
const SINGLE_BUDGET_US = 200;
const RUNS = 5;
/** Each run sends requests for this long (ms), after a warm-up of the same length. */
const RUN_MS = 2_000;
/** Flags in the environment besides new-checkout, so the bulk form has something to do. */
const EXTRA_FLAGS = 20;
/** OFREP change-event subscribers told of each flag kill (issue 15). */
const SUBSCRIBERS = 1_000;
const KILLS = 100;
/** Flag kill → every subscriber told, in ms, on loopback. */
const CHANGE_EVENT_BUDGET_MS = 100;

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

const now = () => performance.timeOrigin + performance.now();

/**
 * Flag kill → every one of SUBSCRIBERS OFREP event-stream subscribers told: the stream a bulk
 * answer names (eventStreams[0]), read by plain sockets in a process of their own (the
 * halt-all bench's stream clients), each counting `refetchEvaluation` events. Each kill is followed by
 * an enable (its own event, awaited, not measured).
 */
async function changeEvents(address: URL, apiKey: string, adminToken: string): Promise<number[]> {
  const bulk = await fetch(new URL('/ofrep/v1/evaluate/flags', address), {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ context: { targetingKey: 'bench-user' } }),
  });
  const answer = (await bulk.json()) as {
    eventStreams?: { type: string; endpoint: { requestUri: string } }[];
  };
  const requestUri = answer.eventStreams?.find((s) => s.type === 'sse')?.endpoint.requestUri;
  if (!requestUri) throw new Error(`the bulk answer names no event stream: ${bulk.status}`);
  const worker = new ClientProcess(new URL('./stream-clients-worker.mjs', import.meta.url), {
    url: new URL(requestUri, address).href,
    token: apiKey,
    clients: SUBSCRIBERS,
    marker: '"type":"refetchEvaluation"',
  });
  const killUrl = new URL('/api/v1/flags/new-checkout/kill', address).href;
  const enableUrl = new URL('/api/v1/flags/new-checkout/enable', address).href;
  const body = { environment: 'production', comment: 'bench' };
  try {
    worker.postMessage({ type: 'connect' });
    await next(worker, 'connected');
    const told: number[] = [];
    let events = 0;
    for (let kill = 0; kill < KILLS; kill++) {
      worker.postMessage({ type: 'expect', run: ++events });
      await next(worker, 'ready');
      const received = next(worker, 'all-received');
      const pressed = now();
      const { status } = await postInOneWrite(killUrl, adminToken, body);
      if (status !== 200) throw new Error(`kill answered ${status}`);
      told.push((await received).at - pressed);

      worker.postMessage({ type: 'expect', run: ++events });
      await next(worker, 'ready');
      const enabled = next(worker, 'all-received');
      if ((await postInOneWrite(enableUrl, adminToken, body)).status !== 200)
        throw new Error('enable failed');
      await enabled;
      // Kills come apart, as a person presses them.
      await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 30));
    }
    return told;
  } finally {
    worker.postMessage({ type: 'close' });
    await next(worker, 'closed').catch(() => undefined);
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
  // The server keeps only a hash of each key: a key is in the answer that makes it.
  const apiKey = (
    await app.inject({
      method: 'POST',
      url: '/api/v1/ofrep-keys/production/rotate',
      headers: { authorization: `Bearer ${session.token}` },
      payload: {},
    })
  ).json<{ key?: string }>().key;
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
      summarize(
        `flag kill → change event at all ${SUBSCRIBERS} OFREP event-stream subscribers`,
        'ms',
        await changeEvents(address, apiKey, session.token),
        CHANGE_EVENT_BUDGET_MS,
      ),
    ];
  } finally {
    await app.close();
  }
}
