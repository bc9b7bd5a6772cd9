import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { WEBHOOK_EVENTS } from '../src/domain/webhooks';
import { summarize, type BenchResult } from './bench-result';
import { latencySpec, postInOneWrite, startBenchServer, startExperiment } from './bench-server';

export const name = 'webhooks';

/** Runs measured per case; the p99 is the 99th of 100 (nearest rank). */
const RUNS = 100;
/** First halt-alls after start-up, while the JIT and SQLite warm up: not measured. */
const WARMUP_RUNS = 3;
/** The halt-all bench's budget, in ms: a dead receiver must not move halt all past it. */
const BUDGET_MS = 50;
const SERVICES = ['checkout', 'payments', 'catalog', 'frontend', 'search'];
/** Webhooks at the receiver that never answers; one more at a port nothing listens on. */
const SILENT_WEBHOOKS = 4;

/** A receiver that takes every request and never answers (the request stays open). */
async function silentReceiver() {
  const held = new Set<http.ServerResponse>();
  const server = http.createServer((_request, response) => void held.add(response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    held: () => held.size,
    async close() {
      for (const response of held) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A receiver that answers every request at once (204). */
async function answeringReceiver() {
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(204).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function closedPortUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/hook`;
}

/**
 * Halt all's answer time over loopback, 5 experiments each run, the engine ticking at 100 ms.
 * The client and the receivers share this process with the server, so the work of sending
 * (to receivers that answer) shows in the client's clock too: compare the three cases.
 */
async function measure(urls: string[]): Promise<{ answers: number[]; pending: number }> {
  const faultline = await startBenchServer({ tickMs: 100, onDisk: 'faultline-webhooks-bench' });
  try {
    const { app, context, address } = faultline;
    const admin = context.identity.createSession('ada-admin');
    const sre = context.identity.createSession('sam-sre');
    if (!admin || !sre) throw new Error('no demo sessions');
    for (const [index, url] of urls.entries()) {
      const created = await app.inject({
        method: 'POST',
        url: '/api/v1/webhooks',
        headers: { authorization: `Bearer ${admin.token}` },
        payload: { name: `bench ${index}`, url, events: [...WEBHOOK_EVENTS] },
      });
      if (created.statusCode !== 201) throw new Error(`webhook: ${created.body}`);
    }
    const answers: number[] = [];
    for (let runIndex = 1; runIndex <= WARMUP_RUNS + RUNS; runIndex++) {
      const ids: string[] = [];
      for (const service of SERVICES) {
        const spec = latencySpec(`Webhooks bench ${runIndex} on ${service}`, service);
        ids.push((await startExperiment(context, `bench-${runIndex}-${service}`, spec)).id);
      }
      // A turn for the queue and the worker, as between two presses of a real person.
      await new Promise((resolve) => setTimeout(resolve, 20));
      const started = performance.now();
      const { status } = await postInOneWrite(`${address}/api/v1/halt-all`, sre.token);
      const answered = performance.now() - started;
      if (status !== 200) throw new Error(`halt-all answered ${status}`);
      if (!ids.every((id) => context.experiments.get(id)?.state === 'halted'))
        throw new Error('not every experiment is halted');
      if (runIndex > WARMUP_RUNS) answers.push(answered);
    }
    const pending = context.db
      .prepare("SELECT COUNT(*) AS n FROM webhook_deliveries WHERE state = 'pending'")
      .get() as { n: number };
    return { answers, pending: pending.n };
  } finally {
    await faultline.close();
  }
}

export async function run(): Promise<BenchResult[]> {
  const none = await measure([]);
  const answering = await answeringReceiver();
  const healthy = await measure(Array.from({ length: SILENT_WEBHOOKS + 1 }, () => answering.url));
  await answering.close();
  const receiver = await silentReceiver();
  try {
    const silentUrls = Array.from({ length: SILENT_WEBHOOKS }, () => receiver.url);
    const dead = await measure([...silentUrls, await closedPortUrl()]);
    const held = receiver.held();
    return [
      summarize('halt all (5 experiments), no webhook: answer', 'ms', none.answers, BUDGET_MS),
      summarize(
        `halt all (5 experiments), ${SILENT_WEBHOOKS + 1} webhooks answering at once: answer`,
        'ms',
        healthy.answers,
        BUDGET_MS,
      ),
      summarize(
        `halt all (5 experiments), ${SILENT_WEBHOOKS} webhooks never answering + 1 refused: answer`,
        'ms',
        dead.answers,
        BUDGET_MS,
      ),
      {
        name: `dead receivers really were: requests held open, deliveries still pending at the end`,
        unit: 'count',
        median: held,
        p99: dead.pending,
        budget: null,
        pass: held > 0 && dead.pending > 0,
      },
    ];
  } finally {
    await receiver.close();
  }
}
