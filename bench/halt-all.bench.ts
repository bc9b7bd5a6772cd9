import { loadavg } from 'node:os';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { FaultlineApp } from '../mock-server/app';
import type { StreamEvent } from '../src/domain';
import { newCheckoutFlag } from '../src/domain/flags';
import { summarize, type BenchResult } from './bench-result';
import { latencySpec, postInOneWrite, startBenchServer, startExperiment } from './bench-server';
import { ClientProcess, next } from './client-process';

type Worker = ClientProcess;

export const name = 'halt all';

const CLIENTS = 1000;
/** Runs measured; the p99 is the 99th of 100 (nearest rank). */
const RUNS = 100;
/** First halt-alls after start-up, while the JIT and SQLite warm up: reported apart, not in the p99. */
const WARMUP_RUNS = 3;
const BUDGET_MS = 50;
const SERVICES = ['checkout', 'payments', 'catalog', 'frontend', 'search'];
/** The loads of issue 13: a 20 MB audit export, a segment 200 flags read, ten resuming readers. */
const AUDIT_ROWS = 5_500;
const AUDIT_ROW_BYTES = 3_600;
const FLAGS = 200;
const RESUMING_READERS = 10;
/** How far back the resuming readers start: this many metric frames (5 min at a 100 ms tick). */
const RESUME_FRAMES = 3_000;

interface Measured {
  total: number[];
  answer: number[];
  cold: number[];
}

/** Presses halt-all WARMUP_RUNS + RUNS times, five experiments running each time. */
async function measure(
  context: FaultlineApp['context'],
  address: string,
  token: string,
  worker: Worker,
  runOffset: number,
): Promise<Measured> {
  const cold: number[] = [];
  const total: number[] = [];
  const answer: number[] = [];
  for (let runIndex = 1; runIndex <= WARMUP_RUNS + RUNS; runIndex++) {
    const ids: string[] = [];
    const run = runOffset + runIndex;
    for (const service of SERVICES) {
      const spec = latencySpec(`Halt-all bench ${run} on ${service}`, service);
      ids.push((await startExperiment(context, `bench-${run}-${service}`, spec)).id);
    }
    worker.postMessage({ type: 'expect', run });
    await next(worker, 'ready');
    // Let the start events reach every client first.
    await new Promise((r) => setTimeout(r, 100));

    const received = next(worker, 'all-received');
    const started = performance.timeOrigin + performance.now();
    const response = await postInOneWrite(`${address}/api/v1/halt-all`, token);
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
  return { total, answer, cold };
}

type LoadsDone = {
  exports: number;
  exportBytes: number;
  segmentEdits: number;
  resumes: number;
  errors: number;
};

/**
 * Fills the server with what the loads need (5 500 audit rows of ~3.6 kB, 200 flags reading a
 * segment, five minutes of metric frames at a 100 ms tick to resume from), before the stream
 * clients connect (they would be sent the frames).
 */
async function prepareLoads(context: FaultlineApp['context'], app: FaultlineApp['app']) {
  const padding = 'x'.repeat(AUDIT_ROW_BYTES);
  context.db.transaction(() => {
    for (let i = 0; i < AUDIT_ROWS; i++)
      context.audit.append({
        at: context.clock.now(),
        actor: 'dev-dana',
        role: 'developer',
        action: 'flag.update',
        targetType: 'flag',
        targetId: `bench-${i}`,
        before: { padding },
        after: { i },
      });
  })();
  const admin = context.identity.createSession('ada-admin');
  const viewer = context.identity.createSession('vic-viewer');
  if (!admin || !viewer) throw new Error('no demo sessions');
  for (let i = 0; i < FLAGS; i++) {
    const answer = await app.inject({
      method: 'POST',
      url: '/api/v1/flags',
      headers: { authorization: `Bearer ${admin.token}` },
      payload: { ...newCheckoutFlag(5 + (i % 90)), key: `bench-flag-${i}` },
    });
    if (answer.statusCode !== 201) throw new Error(`flag: ${answer.statusCode} ${answer.body}`);
  }
  let frame: StreamEvent | null = null;
  const stop = context.bus.subscribe((record) => {
    if (record.event.type === 'metrics') frame = record.event;
  });
  while (!frame) await new Promise((r) => setTimeout(r, 100));
  stop();
  const resumeFrom = context.bus.latestId();
  for (let i = 0; i < RESUME_FRAMES; i++) context.bus.publish(frame);
  return { admin, viewer, resumeFrom };
}

/** Runs `measured` while a process of their own runs the loads prepared by `prepareLoads`. */
async function underLoads<T>(
  prepared: Awaited<ReturnType<typeof prepareLoads>>,
  address: string,
  measured: () => Promise<T>,
): Promise<{ result: T; done: LoadsDone }> {
  const { admin, viewer, resumeFrom } = prepared;
  const loads = new ClientProcess(new URL('./halt-all-loads-worker.mjs', import.meta.url), {
    base: address,
    viewerToken: viewer.token,
    adminToken: admin.token,
    segmentKey: 'internal-employees',
    resumeFrom,
    readers: RESUMING_READERS,
  });
  const stopped = new Promise<LoadsDone>((resolve) =>
    loads.on('message', (m: { type: string; done?: LoadsDone }) => {
      if (m.type === 'stopped' && m.done) resolve(m.done);
    }),
  );
  try {
    loads.postMessage({ type: 'start' });
    // Let every load get going before the first press.
    await new Promise((r) => setTimeout(r, 2000));
    const result = await measured();
    loads.postMessage({ type: 'stop' });
    const done = await Promise.race([
      stopped,
      new Promise<LoadsDone>((_, reject) =>
        setTimeout(() => reject(new Error('the loads did not stop within 30 s')), 30_000),
      ),
    ]);
    return { result, done };
  } finally {
    await loads.terminate();
  }
}

interface Watched<T> {
  result: T;
  /** The server's event-loop delay meanwhile, in ms: median, p99, max. */
  loop: { median: number; p99: number; max: number };
  /** The machine's 1-minute load average at the start and the end. */
  load: [number, number];
}

/**
 * Runs `measured` while the server's event-loop delay is recorded (1 ms resolution): what the
 * server itself held the loop for, apart from what a busy machine adds to the end-to-end figure.
 */
async function watched<T>(measured: () => Promise<T>): Promise<Watched<T>> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  const loadBefore = loadavg()[0] ?? 0;
  histogram.enable();
  try {
    const result = await measured();
    return {
      result,
      loop: {
        median: histogram.percentile(50) / 1e6,
        p99: histogram.percentile(99) / 1e6,
        max: histogram.max / 1e6,
      },
      load: [loadBefore, loadavg()[0] ?? 0],
    };
  } finally {
    histogram.disable();
  }
}

function loopDelay(label: string, watchedRun: Watched<unknown>): BenchResult {
  const { loop, load } = watchedRun;
  return {
    name:
      `${label}: server event-loop delay (max ${loop.max.toFixed(0)} ms; ` +
      `load average ${load[0].toFixed(1)} → ${load[1].toFixed(1)} on this machine)`,
    unit: 'ms',
    median: loop.median,
    p99: loop.p99,
    budget: null,
    pass: true,
  };
}

/**
 * Halt-all with 1 000 stream clients connected on loopback (in a process of their own), while the
 * fleet ticks every second: from the request to every experiment halted and the halt-all event
 * received by every client.
 */
export async function run(): Promise<BenchResult[]> {
  const server = await startBenchServer({ tickMs: 1000 });
  const { app, context, address } = server;
  const session = context.identity.createSession('sam-sre');
  if (!session) throw new Error('no demo session');
  const worker = new ClientProcess(new URL('./stream-clients-worker.mjs', import.meta.url), {
    url: `${address}/api/v1/stream`,
    token: session.token,
    clients: CLIENTS,
    marker: '"type":"halt-all"',
  });
  const prepared = await prepareLoads(context, app);
  try {
    // The worker answers once every one of its clients has its 200 and headers.
    worker.postMessage({ type: 'connect' });
    await next(worker, 'connected');

    const quiet = await watched(() => measure(context, address, session.token, worker, 0));
    const loaded = await underLoads(prepared, address, () =>
      watched(() => measure(context, address, session.token, worker, WARMUP_RUNS + RUNS)),
    );
    return [
      summarize(
        `halt-all → halted → event at all ${CLIENTS} clients`,
        'ms',
        quiet.result.total,
        BUDGET_MS,
      ),
      summarize('halt-all request → answer', 'ms', quiet.result.answer, null),
      loopDelay('quiet', quiet),
      summarize(
        `first ${WARMUP_RUNS} halt-alls after start-up (cold, not in the above)`,
        'ms',
        quiet.result.cold,
        null,
      ),
      summarize(
        `under loads (audit export, segment edits, ${RESUMING_READERS} resuming readers): halt-all → event at all ${CLIENTS} clients`,
        'ms',
        loaded.result.result.total,
        BUDGET_MS,
      ),
      summarize('under loads: halt-all request → answer', 'ms', loaded.result.result.answer, null),
      loopDelay('under loads', loaded.result),
      {
        name:
          `under loads: done meanwhile: ${loaded.done.exports} exports ` +
          `(${Math.round(loaded.done.exportBytes / 1e6)} MB), ${loaded.done.segmentEdits} segment edits, ` +
          `${loaded.done.resumes} resumes, ${loaded.done.errors} errors`,
        unit: 'count',
        median: loaded.done.exports,
        p99: loaded.done.exports,
        budget: null,
        pass: loaded.done.errors === 0 && loaded.done.exports > 0 && loaded.done.segmentEdits > 0,
      },
    ];
  } finally {
    worker.postMessage({ type: 'close' });
    await next(worker, 'closed').catch(() => undefined);
    await worker.terminate();
    await server.close();
  }
}
