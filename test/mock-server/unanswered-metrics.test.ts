import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseBackendsConfig } from '../../mock-server/backends/backends-config';
import type { PrometheusClient } from '../../mock-server/backends/prometheus/prometheus-client';
import { systemClock } from '../../mock-server/clock';
import type { Experiment } from '../../src/domain';
import { fivexxOnOneHostSpec, testServer, type TestServer } from './test-server';

// A metrics source whose evaluation never settles: its instant queries hang forever, while its
// range queries (the steady-state check before a start) answer healthy numbers.
const hanging: PrometheusClient = {
  instant: () => new Promise(() => {}),
  vector: () => new Promise(() => {}),
  range: async (_query, start, end) => ({
    points: [
      { t: start, value: 0 },
      { t: end, value: 0 },
    ],
  }),
  matrix: async () => ({ series: [] }),
};

const backends = parseBackendsConfig({
  environments: {
    staging: {
      metrics: {
        url: 'http://127.0.0.1:1',
        evaluationIntervalMs: 100,
        queryTimeoutMs: 100,
        graceEvaluations: 3,
      },
      fleet: {
        services: [{ name: 'shop', description: 'checkout of the shop' }],
        instances: [1, 2, 3].map((n) => ({
          id: `shop-${n}`,
          service: 'shop',
          metricsInstance: `127.0.0.1:${n}`,
        })),
      },
    },
  },
});

describe('an evaluation the metrics source never answers', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await server?.app.close();
  });

  it('counts as unread after the grace, so the run ends for "no metrics" instead of waiting', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    server = await testServer({
      clock: systemClock,
      ticking: false,
      config: { tickMs: 100, backends },
      prometheusClient: () => hanging,
    });
    const created = (
      await server.call('POST', '/api/v1/experiments', {
        body: fivexxOnOneHostSpec('shop'),
      })
    ).json() as Experiment;
    const started = await server.call('POST', `/api/v1/experiments/${created.id}/start`, {
      body: { version: created.version },
    });
    expect(started.statusCode, started.body).toBe(200);

    // Each beat gives up on the source after the longest grace (300 ms here) and goes on.
    const first = await server.engine.tick();
    expect(first.gaps).toContainEqual(
      expect.objectContaining({
        experimentId: created.id,
        group: 'target',
        reason: 'the metrics source did not answer within 300 ms',
      }),
    );
    let run = server.engine.running().find((e) => e.id === created.id);
    for (let beat = 0; beat < 10 && run; beat++) {
      await server.engine.tick();
      run = server.engine.running().find((e) => e.id === created.id);
    }
    expect(run).toBeUndefined();
    const ended = server.experiment(created.id);
    expect(ended.state).toBe('aborted');
    expect(ended.run?.outcome).toMatchObject({
      noMetrics: { reason: 'the metrics source did not answer within 300 ms' },
    });
  });
});
