import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { buildApp } from '../mock-server/app';
import type { Experiment, ExperimentSpec } from '../src/domain';
import { summarize, type BenchResult } from './bench-result';

export const name = 'halt all';

const CLIENTS = 1000;
/** Runs measured; the p99 is the 99th of 100 (nearest rank). */
const RUNS = 100;
/** First halt-alls after start-up, while the JIT and SQLite warm up: reported apart, not in the p99. */
const WARMUP_RUNS = 3;
const BUDGET_MS = 50;
const SERVICES = ['checkout', 'payments', 'catalog', 'frontend', 'search'];

const spec = (service: string, index: number): ExperimentSpec => ({
  name: `Halt-all bench ${index} on ${service}`,
  hypothesis: 'Nothing breaks under a little latency.',
  notes: '',
  environment: 'staging',
  service,
  blastRadius: {
    scope: 'containers',
    selector: {},
    mode: 'count',
    value: 1,
    source: { kind: 'selector' },
  },
  attack: { type: 'latency' },
  steps: [{ magnitude: 20, durationSeconds: 3600 }],
  abortConditions: [
    {
      kind: 'threshold',
      metric: 'http_5xx_rate',
      comparator: '>',
      threshold: 50,
      windowSeconds: 10,
      scope: 'target',
    },
  ],
});

/**
 * POST /halt-all as a browser sends it: headers and the small body in one write. (fetch in
 * Node writes them apart, and Nagle's algorithm against delayed ACKs then adds ~40 ms that
 * belong to the client, not the server.)
 */
function pressHaltAll(url: string, token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const payload = '{}';
    const request = http.request(
      url,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
        },
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

type WorkerMessage =
  | { type: 'connected' | 'ready' | 'closed' }
  | { type: 'all-received'; run: number; at: number }
  | { type: 'error'; message: string };

/** Waits for the worker's next message of `type` (at most 30 s). */
function next<T extends WorkerMessage['type']>(
  worker: Worker,
  type: T,
): Promise<Extract<WorkerMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => done(new Error(`no "${type}" from the stream clients within 30 s`)),
      30_000,
    );
    const onMessage = (message: WorkerMessage) => {
      if (message.type === 'error') done(new Error(message.message));
      else if (message.type === type) done(null, message as Extract<WorkerMessage, { type: T }>);
    };
    const done = (error: Error | null, value?: Extract<WorkerMessage, { type: T }>) => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      if (error || !value) reject(error ?? new Error('no message'));
      else resolve(value);
    };
    worker.on('message', onMessage);
  });
}

/**
 * Halt-all with 1 000 stream clients connected on loopback (in a worker thread), while the
 * fleet ticks every second: from the request to every experiment halted and the halt-all event
 * received by every client.
 */
export async function run(): Promise<BenchResult[]> {
  const { app, context } = await buildApp({
    database: ':memory:',
    sampleData: false,
    config: { tickMs: 1000 },
  });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  const user = { name: 'sam-sre', displayName: 'Sam', role: 'sre' as const };
  const session = context.identity.createSession('sam-sre');
  if (!session) throw new Error('no demo session');
  const worker = new Worker(new URL('./stream-clients-worker.mjs', import.meta.url), {
    workerData: {
      url: `${address}/api/v1/stream`,
      token: session.token,
      clients: CLIENTS,
      marker: '"type":"halt-all"',
    },
  });
  try {
    // The worker answers once every one of its clients has its 200 and headers.
    worker.postMessage({ type: 'connect' });
    await next(worker, 'connected');

    const cold: number[] = [];
    const total: number[] = [];
    const answer: number[] = [];
    for (let runIndex = 1; runIndex <= WARMUP_RUNS + RUNS; runIndex++) {
      const ids: string[] = [];
      for (const service of SERVICES) {
        const now = context.clock.now();
        const id = `bench-${runIndex}-${service}`;
        const draft: Experiment = {
          ...spec(service, runIndex),
          id,
          lineageId: id,
          state: 'draft',
          version: 1,
          createdAt: now,
          updatedAt: now,
          createdBy: user.name,
          run: null,
        };
        context.experiments.insert(draft);
        ids.push((await context.engine.start(id, { version: 1 }, user)).id);
      }
      worker.postMessage({ type: 'expect', run: runIndex });
      await next(worker, 'ready');
      // Let the start events reach every client first.
      await new Promise((r) => setTimeout(r, 100));

      const received = next(worker, 'all-received');
      const started = performance.timeOrigin + performance.now();
      const response = await pressHaltAll(`${address}/api/v1/halt-all`, session.token);
      const answered = performance.timeOrigin + performance.now();
      const body = JSON.parse(response.body) as { halted: string[] };
      if (response.status !== 200 || body.halted.length !== ids.length)
        throw new Error(`halt-all answered ${response.status} ${JSON.stringify(body)}`);
      if (!ids.every((id) => context.experiments.get(id)?.state === 'halted'))
        throw new Error('not every experiment is halted');
      const { at } = await received;
      if (runIndex <= WARMUP_RUNS) {
        cold.push(Math.max(at, answered) - started);
        continue;
      }
      total.push(Math.max(at, answered) - started);
      answer.push(answered - started);
    }
    return [
      summarize(`halt-all → halted → event at all ${CLIENTS} clients`, 'ms', total, BUDGET_MS),
      summarize('halt-all request → answer', 'ms', answer, null),
      summarize(
        `first ${WARMUP_RUNS} halt-alls after start-up (cold, not in the above)`,
        'ms',
        cold,
        null,
      ),
    ];
  } finally {
    worker.postMessage({ type: 'close' });
    await next(worker, 'closed').catch(() => undefined);
    await worker.terminate();
    await app.close();
  }
}
