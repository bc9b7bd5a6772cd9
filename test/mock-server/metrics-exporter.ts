import { createServer, type Server } from 'node:http';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Instances of a small service instrumented the usual way with prom-client: each on its own
 * loopback port, with its own registry, serving `http_requests_total{code}`,
 * `http_request_duration_seconds` and the process metrics at /metrics. Each counts simulated
 * requests every 50 ms; the test sets how many of them fail with a 500 and how slow they are.
 */
interface ExporterInstance {
  /** host:port, the Prometheus target and its `instance` label */
  target: string;
  /** Share of requests answered 500 from now on, 0–1. */
  failShare: number;
  /** Latency of every request, in seconds. */
  latencySeconds: number;
  /** Requests per second, at most 1000 (0: idle, no request to divide by). */
  requestsPerSecond: number;
  /** When /metrics last served a 5xx count above the one before (epoch ms), or null. */
  fivexxServedAt: number | null;
}

export interface RunningExporter {
  instances: ExporterInstance[];
  stop(): Promise<void>;
}

const BEAT_MS = 50;

/** `count` instances on their own loopback ports. */
export async function startExporter(count: number): Promise<RunningExporter> {
  const servers: Server[] = [];
  const timers: NodeJS.Timeout[] = [];
  const instances: ExporterInstance[] = [];
  for (let index = 0; index < count; index++) {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    const requests = new Counter({
      name: 'http_requests_total',
      help: 'Requests served, by status code.',
      labelNames: ['code'],
      registers: [registry],
    });
    const duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Request latency, in seconds.',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    });
    // Both series from the start, as a well-instrumented service does: a series born with the
    // first failure has no rate() until its second scrape.
    requests.inc({ code: '200' }, 0);
    requests.inc({ code: '500' }, 0);
    const instance: ExporterInstance = {
      target: '',
      failShare: 0,
      latencySeconds: 0.02,
      requestsPerSecond: 200,
      fivexxServedAt: null,
    };
    let carry = 0;
    let last = Date.now();
    let failCarry = 0;
    let fivexx = 0;
    let fivexxServed = 0;
    timers.push(
      setInterval(() => {
        // By the time that passed, not the beats: a busy test process beats late.
        const now = Date.now();
        carry += (instance.requestsPerSecond * (now - last)) / 1000;
        last = now;
        const served = Math.floor(carry);
        carry -= served;
        failCarry += served * instance.failShare;
        const failed = Math.floor(failCarry);
        failCarry -= failed;
        fivexx += failed;
        if (served - failed > 0) requests.inc({ code: '200' }, served - failed);
        if (failed > 0) requests.inc({ code: '500' }, failed);
        for (let i = 0; i < Math.min(served, 1000); i++) duration.observe(instance.latencySeconds);
      }, BEAT_MS),
    );
    const server = createServer((request, response) => {
      if (request.url !== '/metrics') {
        response.writeHead(404).end();
        return;
      }
      registry.metrics().then(
        (text) => {
          if (fivexx > fivexxServed && instance.fivexxServedAt === null)
            instance.fivexxServedAt = Date.now();
          fivexxServed = fivexx;
          response.writeHead(200, { 'content-type': registry.contentType }).end(text);
        },
        () => response.writeHead(500).end(),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    instance.target = `127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    servers.push(server);
    instances.push(instance);
  }
  return {
    instances,
    async stop() {
      for (const timer of timers) clearInterval(timer);
      await Promise.all(
        servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
      );
    },
  };
}
