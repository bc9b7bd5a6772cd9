import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type FaultlineApp } from '../../mock-server/app';
import {
  PROMTOOL,
  prometheusInstalled,
  startPrometheus,
  type RunningPrometheus,
} from './real-prometheus';

// A real Prometheus (Debian's package) scrapes the real server on loopback.
const installed = prometheusInstalled('the Prometheus scrape tests');

/** Added latency mild enough that nothing trips, for a few minutes. */
const mildLatency = {
  name: 'Mild latency on payments',
  hypothesis: 'Payments absorbs 50 ms more latency.',
  environment: 'development',
  service: 'payments',
  blastRadius: { scope: 'containers', selector: {}, mode: 'percent', value: 50 },
  attack: { type: 'latency' },
  steps: [{ magnitude: 50, durationSeconds: 600 }],
  abortConditions: [
    {
      kind: 'threshold',
      metric: 'http_5xx_rate',
      comparator: '>',
      threshold: 50,
      windowSeconds: 10,
    },
  ],
};

interface VectorAnswer {
  status: string;
  data: { result: { metric: Record<string, string>; value: [number, string] }[] };
}

describe.skipIf(!installed)(
  'the /metrics exposition read by a real Prometheus',
  { timeout: 60_000 },
  () => {
    let server: FaultlineApp;
    let base: string;
    let prometheus: RunningPrometheus;
    let prometheusUrl: string;

    beforeAll(async () => {
      server = await buildApp({ database: ':memory:', sampleData: false, config: { tickMs: 100 } });
      base = await server.app.listen({ host: '127.0.0.1', port: 0 });
      prometheus = await startPrometheus(new URL(base).host);
      prometheusUrl = prometheus.url;
    });

    afterAll(async () => {
      await prometheus?.stop();
      await server?.app.close();
    });

    type Result = VectorAnswer['data']['result'];

    /** Asks Prometheus until its answer is accepted (at most 60 tries, one every 500 ms). */
    async function query(
      promql: string,
      accept: (result: Result) => boolean = (r) => r.length > 0,
    ): Promise<Result> {
      for (let attempt = 0; attempt < 60; attempt++) {
        try {
          const response = await fetch(
            `${prometheusUrl}/api/v1/query?query=${encodeURIComponent(promql)}`,
          );
          if (response.ok) {
            const answer = (await response.json()) as VectorAnswer;
            if (accept(answer.data.result)) return answer.data.result;
          }
        } catch {
          // Not listening yet.
        }
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      throw new Error(`Prometheus never answered ${promql}`);
    }

    it('passes promtool’s exposition lint, counters and histogram included', async () => {
      // After the first tick, so the counters and the histogram are in it too.
      let body = '';
      for (let attempt = 0; attempt < 50 && !body.includes('_bucket{'); attempt++) {
        body = await (await fetch(`${base}/metrics`)).text();
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(body).toContain('# TYPE faultline_http_requests_total counter');
      expect(body).toContain('# TYPE faultline_http_request_duration_seconds histogram');
      const check = spawnSync(PROMTOOL, ['check', 'metrics'], { input: body, encoding: 'utf8' });
      expect(check.stdout + check.stderr).toBe('');
      expect(check.status).toBe(0);
    });

    it('is scraped: Prometheus holds every service’s CPU and the latency in seconds', async () => {
      const cpu = await query('faultline_cpu_percent{group="all",cohort=""}');
      const services = new Set(cpu.map((r) => r.metric.service));
      // Every service of the fleet, Faultline's own flag service (its OFREP endpoint) included.
      expect([...services].sort()).toEqual(
        server.backend.inventory
          .fleet()
          .services.map((s) => s.name)
          .sort(),
      );
      const simulated = new Set(server.simulation.fleet.services.map((s) => s.name));
      for (const { metric, value } of cpu)
        if (simulated.has(metric.service ?? '')) expect(Number(value[1])).toBeGreaterThan(0);

      const latency = await query(
        'faultline_latency_p99_seconds{service="checkout",environment="staging",group="all",cohort=""}',
      );
      const seconds = Number(latency[0]?.value[1]);
      // The simulation's p99 is in the hundreds of ms: as seconds it is well under 10.
      expect(seconds).toBeGreaterThan(0.01);
      expect(seconds).toBeLessThan(10);
    });

    it('lets rate() and histogram_quantile() aggregate the request counters', async () => {
      // rate() over 5 s reads low while the series is younger than its window: wait for 5 scrapes.
      await query(
        'count_over_time(faultline_http_requests_total{service="checkout",environment="staging",group="all",cohort="",code="2xx"}[5s])',
        (r) => Number(r[0]?.value[1]) >= 5,
      );
      const gauge = await query(
        'faultline_request_rate_per_second{service="checkout",environment="staging",group="all",cohort=""}',
      );
      const perSecond = await query(
        'sum(rate(faultline_http_requests_total{service="checkout",environment="staging",group="all",cohort=""}[5s]))',
      );
      // The counters add up to the request-rate gauge (traffic drifts a few % between scrapes).
      const ratio = Number(perSecond[0]?.value[1]) / Number(gauge[0]?.value[1]);
      expect(ratio).toBeGreaterThan(0.8);
      expect(ratio).toBeLessThan(1.2);

      const byClass = await query(
        'sum by (code) (rate(faultline_http_requests_total{service="checkout",environment="staging",group="all",cohort=""}[5s]))',
        (r) => r.length === 4,
      );
      expect(byClass.map((r) => r.metric.code).sort()).toEqual(['2xx', '4xx', '5xx', 'none']);

      const p99Gauge = await query(
        'faultline_latency_p99_seconds{service="checkout",environment="staging",group="all",cohort=""}',
      );
      const p99 = await query(
        'histogram_quantile(0.99, sum by (le) (rate(faultline_http_request_duration_seconds_bucket' +
          '{service="checkout",environment="staging",group="all",cohort=""}[5s])))',
        (r) => r.length > 0 && Number.isFinite(Number(r[0]?.value[1])),
      );
      // Within a bucket's width of the gauge: the histogram's buckets are 2–2.5× apart.
      const quantileRatio = Number(p99[0]?.value[1]) / Number(p99Gauge[0]?.value[1]);
      expect(quantileRatio).toBeGreaterThan(0.4);
      expect(quantileRatio).toBeLessThan(2.5);
    });

    it('sees an experiment start: the running count goes from 0 to 1', async () => {
      const up = await query('up{job="faultline"}');
      expect(up[0]?.value[1]).toBe('1');
      await query('faultline_experiments_running', (r) => r[0]?.value[1] === '0');

      const session = await server.app.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: { user: 'sam-sre' },
      });
      const headers = { authorization: `Bearer ${(session.json() as { token: string }).token}` };
      const created = await server.app.inject({
        method: 'POST',
        url: '/api/v1/experiments',
        headers,
        payload: mildLatency,
      });
      expect(created.statusCode, created.body).toBe(201);
      const { id, version } = created.json() as { id: string; version: number };
      const started = await server.app.inject({
        method: 'POST',
        url: `/api/v1/experiments/${id}/start`,
        headers,
        payload: { version },
      });
      expect(started.statusCode, started.body).toBe(200);

      const running = await query('faultline_experiments_running', (r) => r[0]?.value[1] === '1');
      expect(running).toHaveLength(1);
      const target = await query(
        `faultline_latency_p99_seconds{experiment_id="${id}",group="target"}`,
      );
      expect(target[0]?.metric).toMatchObject({ service: 'payments', environment: 'development' });
    });
  },
);
