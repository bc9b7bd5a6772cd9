import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { flagEvaluationsSchema, type FlagEvaluationSeries } from '../../src/domain';
import { buildApp, type FaultlineApp } from '../../mock-server/app';
import { parseBackendsConfig } from '../../mock-server/backends/backends-config';
import { prometheusInstalled, startPrometheus, type RunningPrometheus } from './real-prometheus';
import { START, testServer, type TestServer } from './test-server';

const ASK = '/api/v1/flag-evaluations?environment=staging&service=checkout';

describe('GET /api/v1/flag-evaluations, until', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await testServer();
  });
  afterEach(() => server.app.close());

  it.each([
    ['that is not a number', 'until=soon', 'until must be epoch milliseconds'],
    ['before since', `since=${START}&until=${START - 1}`, 'until must not be before since'],
  ])('refuses an until %s with a 400 naming until', async (_, search, message) => {
    const answer = await server.call('GET', `${ASK}&${search}`, { as: 'vic-viewer' });
    expect(answer.statusCode, answer.body).toBe(400);
    expect(answer.json()).toMatchObject({
      error: { code: 'validation_failed', details: { issues: [{ path: 'until', message }] } },
    });
  });

  it('takes an until at or after since', async () => {
    for (const until of [START, START + 60_000]) {
      const answer = await server.call('GET', `${ASK}&since=${START}&until=${until}`, {
        as: 'vic-viewer',
      });
      expect(answer.statusCode, answer.body).toBe(200);
      // The simulation counts no evaluations, and says so.
      expect(flagEvaluationsSchema.parse(answer.json()).unavailable).toBeTruthy();
    }
  });
});

// A real Prometheus scraping an OpenFeature hook's counter, read through the real server.
const installed = prometheusInstalled('flag evaluations read from Prometheus');

describe.skipIf(!installed)('flag evaluations read from Prometheus', { timeout: 60_000 }, () => {
  let prometheus: RunningPrometheus;
  let faultline: FaultlineApp;
  let exporter: http.Server;
  let counting: ReturnType<typeof setInterval>;
  let token: string;

  beforeAll(async () => {
    const registry = new Registry();
    registry.setDefaultLabels({ service: 'checkout', environment: 'staging', instance: 'shop-1' });
    const evaluations = new Counter({
      name: 'feature_flag_evaluations_total',
      help: 'OpenFeature flag evaluations, by flag, variant and reason',
      labelNames: ['flag', 'variant', 'reason'] as const,
      registers: [registry],
    });
    // 10 evaluations a second answered, 30 a second served the fallback.
    counting = setInterval(() => {
      evaluations.inc({ flag: 'new-checkout', variant: 'on', reason: 'TARGETING_MATCH' }, 1);
      evaluations.inc({ flag: 'new-checkout', variant: 'fallback', reason: 'ERROR' }, 3);
    }, 100);
    exporter = http.createServer((_request, response) => {
      void registry.metrics().then((text) => response.end(text));
    });
    await new Promise<void>((resolve) => exporter.listen(0, '127.0.0.1', resolve));
    const port = (exporter.address() as AddressInfo).port;
    prometheus = await startPrometheus([{ targets: [`127.0.0.1:${port}`] }], {
      honorLabels: true,
    });
    faultline = await buildApp({
      database: ':memory:',
      ticking: false,
      sampleData: false,
      config: {
        backends: parseBackendsConfig({
          environments: {
            staging: {
              metrics: { url: prometheus.url },
              fleet: { services: [{ name: 'checkout' }] },
            },
          },
        }),
      },
    });
    await prometheus.ready();
    const session = await faultline.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { user: 'vic-viewer' },
    });
    token = (session.json() as { token: string }).token;
  });

  afterAll(async () => {
    clearInterval(counting);
    await faultline?.app.close();
    await prometheus?.stop();
    await new Promise((resolve) => exporter?.close(resolve));
  });

  async function series(search: string): Promise<FlagEvaluationSeries[]> {
    const answer = await faultline.app.inject({
      method: 'GET',
      url: `${ASK}&${search}`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(answer.statusCode, answer.body).toBe(200);
    return flagEvaluationsSchema.parse(answer.json()).series;
  }

  it('answers each flag, variant and reason over the window, ending at until', async () => {
    const since = Date.now() - 60_000;
    // Until Prometheus holds a few seconds of rates: the fallback series with 4 points or more.
    let fallback: FlagEvaluationSeries | undefined;
    await expect
      .poll(
        async () => {
          fallback = (await series(`since=${since}`)).find((s) => s.reason === 'ERROR');
          return fallback?.points.filter((p) => p.perSecond > 0).length ?? 0;
        },
        { timeout: 40_000, interval: 500 },
      )
      .toBeGreaterThanOrEqual(4);
    const points = fallback?.points.filter((p) => p.perSecond > 0) ?? [];
    const until = points[1]!.t;

    const ended = await series(`since=${since}&until=${until}`);
    expect(ended.map(({ flag, variant, reason }) => ({ flag, variant, reason }))).toEqual(
      expect.arrayContaining([
        { flag: 'new-checkout', variant: 'fallback', reason: 'ERROR' },
        { flag: 'new-checkout', variant: 'on', reason: 'TARGETING_MATCH' },
      ]),
    );
    const last = Math.max(...ended.flatMap((s) => s.points.map((p) => p.t)));
    // The window ends at until: what was counted after it is not in the answer.
    expect(last).toBeLessThanOrEqual(until);
    expect(last).toBeGreaterThan(until - 2_000);
    const ratePoint = ended.find((s) => s.reason === 'ERROR')?.points.at(-1);
    expect(ratePoint?.perSecond).toBeGreaterThan(0);
  });
});
