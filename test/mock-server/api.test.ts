import { describe, expect, it } from 'vitest';
import {
  experimentListSchema,
  experimentSchema,
  fleetSchema,
  metricHistorySchema,
  FLAG_SERVICE,
} from '../../src/domain';
import {
  START,
  cpuSpec,
  createExperiment,
  mildLatencySpec,
  startExperiment,
  testServer,
} from './test-server';

describe('the fleet and metrics routes', () => {
  it('lists the fleet: services and every host and container with zone and version labels', async () => {
    const server = await testServer();
    const fleet = fleetSchema.parse(
      (await server.call('GET', '/api/v1/fleet', { as: 'vic-viewer' })).json(),
    );
    expect(fleet.services.map((s) => s.name)).toEqual(
      expect.arrayContaining(['checkout', 'payments', 'catalog', 'frontend']),
    );
    // The simulated fleet; the flag service's OFREP endpoints are targets of their own kind.
    expect(
      fleet.instances.every(
        (i) =>
          i.service === FLAG_SERVICE ||
          (['a', 'b', 'c'].includes(i.labels.zone ?? '') &&
            ['stable', 'canary'].includes(i.labels.version ?? '')),
      ),
    ).toBe(true);
  });

  it('answers the history of one series, oldest first, from a given time', async () => {
    const server = await testServer();
    server.advance(10);
    const url = '/api/v1/metrics?service=checkout&environment=staging';
    const all = metricHistorySchema.parse((await server.call('GET', url)).json()).samples;
    expect(all.map((s) => s.t)).toEqual(
      Array.from({ length: 10 }, (_, i) => START + (i + 1) * 1000),
    );
    expect(
      all.every(
        (s) => s.group === 'all' && s.service === 'checkout' && s.environment === 'staging',
      ),
    ).toBe(true);
    const recent = metricHistorySchema.parse(
      (await server.call('GET', `${url}&since=${START + 8000}`)).json(),
    ).samples;
    expect(recent.map((s) => s.t)).toEqual([START + 8000, START + 9000, START + 10_000]);
  });

  it('answers the target and control series of a running experiment', async () => {
    const server = await testServer();
    const started = await startExperiment(server, mildLatencySpec());
    server.advance(5);
    for (const group of ['target', 'control']) {
      const response = await server.call(
        'GET',
        `/api/v1/metrics?service=payments&environment=development&group=${group}&experimentId=${started.id}`,
      );
      const samples = metricHistorySchema.parse(response.json()).samples;
      expect(samples).toHaveLength(5);
      expect(samples.every((s) => s.group === group && s.experimentId === started.id)).toBe(true);
    }
  });

  it('refuses a history query for an unknown environment or group, naming the parameter', async () => {
    const server = await testServer();
    for (const [query, path] of [
      ['service=checkout&environment=moon', 'environment'],
      ['service=checkout&environment=staging&group=some', 'group'],
      ['environment=staging', 'service'],
      ['service=checkout&environment=staging&since=yesterday', 'since'],
    ]) {
      const response = await server.call('GET', `/api/v1/metrics?${query}`);
      expect(response.statusCode).toBe(400);
      expect(response.json().error.details.issues[0].path).toBe(path);
    }
  });

  it('exposes the latest tick to Prometheus, with the number of running experiments', async () => {
    const server = await testServer();
    await startExperiment(server, mildLatencySpec());
    server.advance(2);
    const response = await server.call('GET', '/metrics', { as: null });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain; version=0.0.4');
    const text = response.body;
    expect(text).toContain('# TYPE faultline_http_5xx_rate_percent gauge');
    expect(text).toMatch(
      /^faultline_cpu_percent\{service="checkout",environment="production",group="all"\} \d+(\.\d+)?$/m,
    );
    expect(text).toMatch(
      /^faultline_latency_p99_seconds\{service="payments",environment="development",group="target",experiment_id="[^"]+"\} \d/m,
    );
    expect(text).toMatch(/^faultline_experiments_running 1$/m);
  });
});

describe('the experiments routes', () => {
  it('creates a draft at version 1, edits it to version 2, and deletes it', async () => {
    const server = await testServer();
    const created = experimentSchema.parse(await createExperiment(server, cpuSpec()));
    expect(created).toMatchObject({
      state: 'draft',
      version: 1,
      createdBy: 'sam-sre',
      lineageId: created.id,
      run: null,
    });

    const edited = await server.call('PUT', `/api/v1/experiments/${created.id}`, {
      body: {
        version: 1,
        spec: cpuSpec({
          name: 'CPU pressure, gentler',
          steps: [{ magnitude: 20, durationSeconds: 60 }],
        }),
      },
    });
    expect(edited.statusCode).toBe(200);
    expect(edited.json()).toMatchObject({
      name: 'CPU pressure, gentler',
      version: 2,
      steps: [{ magnitude: 20, durationSeconds: 60 }],
    });
    expect((await server.call('GET', `/api/v1/experiments/${created.id}`)).json()).toEqual(
      edited.json(),
    );

    const deleted = await server.call('DELETE', `/api/v1/experiments/${created.id}?version=2`);
    expect(deleted.statusCode).toBe(204);
    expect((await server.call('GET', `/api/v1/experiments/${created.id}`)).statusCode).toBe(404);
  });

  it('lists newest first and filters by environment, state and lineage', async () => {
    const server = await testServer();
    const first = await createExperiment(server, cpuSpec());
    const second = await startExperiment(server, mildLatencySpec());
    const list = async (query = '') =>
      experimentListSchema
        .parse((await server.call('GET', `/api/v1/experiments${query}`)).json())
        .experiments.map((e) => e.id);
    expect(await list()).toEqual([second.id, first.id]);
    expect(await list('?environment=staging')).toEqual([first.id]);
    expect(await list('?state=running')).toEqual([second.id]);
    expect(await list(`?lineageId=${first.lineageId}`)).toEqual([first.id]);
    expect((await server.call('GET', '/api/v1/experiments?state=sleeping')).statusCode).toBe(400);
  });

  it('carries an experiment to the next environment in the same lineage, and refuses an unknown lineage', async () => {
    const server = await testServer();
    const staging = await createExperiment(server, cpuSpec());
    const production = await server.call('POST', '/api/v1/experiments', {
      body: { ...cpuSpec({ environment: 'production' }), lineageId: staging.lineageId },
    });
    expect(production.statusCode).toBe(201);
    expect(experimentSchema.parse(production.json()).lineageId).toBe(staging.lineageId);

    const before = server.context.experiments.list({}).length;
    const unknown = await server.call('POST', '/api/v1/experiments', {
      body: { ...cpuSpec(), lineageId: 'no-such-lineage' },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.details.issues[0].path).toBe('lineageId');
    expect(server.context.experiments.list({})).toHaveLength(before);
  });
});
