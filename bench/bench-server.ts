import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildApp, type FaultlineApp } from '../mock-server/app';
import type { Clock } from '../mock-server/clock';
import type { Experiment, ExperimentSpec } from '../src/domain';

type BenchContext = FaultlineApp['context'];

interface BenchServer {
  app: FaultlineApp['app'];
  context: BenchContext;
  /** The loopback base URL when listening, else ''. */
  address: string;
  /** Closes the app and removes its data folder, if it has one. */
  close(): Promise<void>;
}

interface BenchServerOptions {
  /** The engine's tick, in ms. */
  tickMs: number;
  /** A database file in a fresh temporary folder (named after `onDisk`), not in memory. */
  onDisk?: string;
  clock?: Clock;
  /** Seed the sample experiments and flags (default false: a bench seeds what it measures). */
  sampleData?: boolean;
  /** Listen on a free loopback port (default true). */
  listen?: boolean;
}

/** The real server app for a bench: in memory or on disk, listening on loopback or not. */
export async function startBenchServer(options: BenchServerOptions): Promise<BenchServer> {
  const dir = options.onDisk ? mkdtempSync(path.join(tmpdir(), `${options.onDisk}-`)) : null;
  const removeDir = () => dir && rmSync(dir, { recursive: true, force: true });
  let built: FaultlineApp | null = null;
  try {
    built = await buildApp({
      database: dir ? path.join(dir, 'faultline.sqlite') : ':memory:',
      sampleData: options.sampleData ?? false,
      config: { tickMs: options.tickMs, ...(dir ? { dataDir: dir } : {}) },
      ...(options.clock ? { clock: options.clock } : {}),
    });
    const { app, context } = built;
    const address =
      options.listen === false ? '' : await app.listen({ host: '127.0.0.1', port: 0 });
    return {
      app,
      context,
      address,
      async close() {
        try {
          await app.close();
        } finally {
          removeDir();
        }
      },
    };
  } catch (error) {
    await built?.app.close();
    removeDir();
    throw error;
  }
}

/**
 * What the benches run: `magnitude` % latency on one container of `service` in staging, in the
 * given steps (default 20 % for an hour), aborting only past `abortAbove` % 5xx (default 50).
 */
export function latencySpec(
  name: string,
  service: string,
  options: { steps?: ExperimentSpec['steps']; abortAbove?: number } = {},
): ExperimentSpec {
  return {
    name,
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
    steps: options.steps ?? [{ magnitude: 20, durationSeconds: 3600 }],
    abortConditions: [
      {
        kind: 'threshold',
        metric: 'http_5xx_rate',
        comparator: '>',
        threshold: options.abortAbove ?? 50,
        windowSeconds: 10,
        scope: 'target',
      },
    ],
  };
}

const BENCH_SRE = { name: 'sam-sre', displayName: 'Sam', role: 'sre' as const };

/** Stores `spec` as draft `id` and starts it as an SRE, straight through the engine. */
export async function startExperiment(
  context: BenchContext,
  id: string,
  spec: ExperimentSpec,
): Promise<Experiment> {
  const now = context.clock.now();
  context.experiments.insert({
    ...spec,
    id,
    lineageId: id,
    state: 'draft',
    version: 1,
    createdAt: now,
    updatedAt: now,
    createdBy: BENCH_SRE.name,
    run: null,
  });
  return context.engine.start(id, { version: 1 }, BENCH_SRE);
}

/**
 * A POST as a browser sends it: headers and the small JSON body in one write. (fetch in Node
 * writes them apart, and Nagle's algorithm against delayed ACKs then adds ~40 ms that belong to
 * the client, not the server.)
 */
export function postInOneWrite(
  url: string,
  token: string,
  body: unknown = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
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
        let answer = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (answer += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: answer }));
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}
