import { describe, expect, it } from 'vitest';
import type { ExperimentSpecInput, MetricSample } from '@/domain';
import { newCheckoutFlag, type Flag, type FlagCohortInstances } from '@/domain/flags';
import {
  createExperiment,
  cpuSpec,
  startExperiment,
  testServer,
  type TestServer,
} from './test-server';

const inherit = (flagKey = 'new-checkout') => ({ kind: 'flag' as const, flagKey });

/** CPU pressure that no condition stops: only `cpu > 100 %` aborts it. */
const steadyCpu = (overrides: Partial<ExperimentSpecInput> = {}): ExperimentSpecInput =>
  cpuSpec({
    steps: [{ magnitude: 60, durationSeconds: 600 }],
    abortConditions: [
      {
        kind: 'threshold',
        metric: 'cpu',
        comparator: '>',
        threshold: 100,
        windowSeconds: 10,
        scope: 'target',
      },
    ],
    ...overrides,
  });

async function cohortOf(
  server: TestServer,
  environment = 'staging',
  service = 'checkout',
  flagKey = 'new-checkout',
): Promise<FlagCohortInstances> {
  const response = await server.call(
    'GET',
    `/api/v1/flags/${flagKey}/cohort?service=${service}&environment=${environment}`,
    { as: 'vic-viewer' },
  );
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

/** The newest checkout samples in staging, by group and cohort ("all", "all/on", "target", …). */
function latest(server: TestServer, environment = 'staging'): Record<string, MetricSample> {
  const samples = server.simulation
    .latest()
    .filter((s) => s.service === 'checkout' && s.environment === environment);
  return Object.fromEntries(samples.map((s) => [[s.group, s.cohort].filter(Boolean).join('/'), s]));
}

const containersOf = (server: TestServer, hostIds: readonly string[], environment = 'staging') =>
  server.simulation
    .instancesOf('checkout', environment as 'staging')
    .filter((i) => i.kind === 'container' && hostIds.includes(i.hostId))
    .map((i) => i.id);

describe("a flag's on-cohort in the fleet simulation", () => {
  it("is served by hosts reserved for it, which take exactly the cohort's share of the traffic", async () => {
    const server = await testServer();
    server.advance(3);
    const cohort = await cohortOf(server);
    const hosts = server.simulation
      .instancesOf('checkout', 'staging')
      .filter((i) => i.kind === 'host');
    expect(cohort.refused).toBeNull();
    expect(cohort.users.on).toBeGreaterThan(0);
    expect(cohort.users.on).toBeLessThan(cohort.users.total);
    expect(cohort.onShare).toBeCloseTo(cohort.users.on / cohort.users.total, 4);
    expect(cohort.hostIds).toHaveLength(Math.round(cohort.onShare * hosts.length));
    expect(cohort.instanceIds.filter((id) => !cohort.hostIds.includes(id)).sort()).toEqual(
      containersOf(server, cohort.hostIds).sort(),
    );

    const samples = latest(server);
    const on = samples['all/on']?.values.request_rate ?? 0;
    const off = samples['all/off']?.values.request_rate ?? 0;
    expect((on / (on + off)) * 100).toBeCloseTo(cohort.onShare * 100, 0);
  });

  it('is placed again when the flag changes: fewer users, fewer hosts and a smaller share of the traffic', async () => {
    const server = await testServer();
    const before = await cohortOf(server);
    const flag: Flag = (await server.call('GET', '/api/v1/flags/new-checkout')).json();
    const spec = newCheckoutFlag();
    const staffOnly = {
      ...spec.environments.staging,
      rules: spec.environments.staging.rules.slice(0, 1),
    };
    const updated = await server.call('PUT', '/api/v1/flags/new-checkout', {
      as: 'dev-dana',
      body: {
        version: flag.version,
        spec: { ...spec, environments: { ...spec.environments, staging: staffOnly } },
      },
    });
    expect(updated.statusCode, updated.body).toBe(200);
    server.advance(2);

    const after = await cohortOf(server);
    expect(after.users.on).toBeLessThan(before.users.on);
    expect(after.hostIds).toEqual([before.hostIds[0]]);
    const samples = latest(server);
    const on = samples['all/on']?.values.request_rate ?? 0;
    const all = samples.all?.values.request_rate ?? 1;
    expect((on / all) * 100).toBeCloseTo(after.onShare * 100, 0);
  });

  it('hides its defect until CPU pressure finds it, and then hurts only the on-cohort', async () => {
    const withDefect = await testServer();
    const without = await testServer({ codePathDefects: [] });
    for (const server of [withDefect, without]) server.advance(5);
    expect(latest(withDefect)).toEqual(latest(without));

    const everyone = steadyCpu({ blastRadius: { scope: 'containers', selector: {}, mode: 'all' } });
    for (const server of [withDefect, without]) {
      await startExperiment(server, everyone);
      server.advance(20);
    }
    const hurt = latest(withDefect);
    const spared = latest(without);
    expect(hurt['all/off']).toEqual(spared['all/off']);
    expect(hurt['all/on']?.values.cpu).toEqual(spared['all/on']?.values.cpu);
    expect(
      (hurt['all/on']?.values.http_5xx_rate ?? 0) - (spared['all/on']?.values.http_5xx_rate ?? 0),
    ).toBeGreaterThan(3);
  });
});

describe('a blast radius inherited from a flag', () => {
  it("resolves to the instances serving the flag's on-cohort, and its target and control are the two cohorts", async () => {
    const server = await testServer();
    const cohort = await cohortOf(server);
    const containers = await startExperiment(
      server,
      steadyCpu({
        blastRadius: { scope: 'containers', selector: {}, mode: 'all', source: inherit() },
      }),
    );
    expect([...(containers.run?.targets ?? [])].sort()).toEqual(
      containersOf(server, cohort.hostIds).sort(),
    );
    expect(containers.run?.matchingCount).toBe(containersOf(server, cohort.hostIds).length);

    const hosts = await startExperiment(
      server,
      steadyCpu({
        environment: 'production',
        blastRadius: { scope: 'hosts', selector: {}, mode: 'count', value: 1, source: inherit() },
      }),
    );
    const production = await cohortOf(server, 'production');
    expect(hosts.run?.targets).toHaveLength(1);
    expect(production.hostIds).toContain(hosts.run?.targets[0]);
    expect(hosts.run?.matchingCount).toBe(production.hostIds.length);

    server.advance(3);
    for (const [environment, id] of [
      ['staging', containers.id],
      ['production', hosts.id],
    ] as const) {
      const samples = server.simulation
        .latest()
        .filter((s) => s.service === 'checkout' && s.environment === environment);
      const find = (group: string, cohortName?: string) =>
        samples.find(
          (s) =>
            s.group === group &&
            s.cohort === cohortName &&
            (group === 'all' || s.experimentId === id),
        );
      expect(find('target')?.values).toEqual(find('all', 'on')?.values);
      expect(find('control')?.values).toEqual(find('all', 'off')?.values);
    }
  });

  it.each([
    [
      'an unknown flag',
      { source: inherit('no-such-flag') },
      {},
      'flag no-such-flag does not exist',
    ],
    [
      'a service the flag does not list',
      { source: inherit() },
      { service: 'payments' },
      'flag new-checkout is not read by payments (it is read by checkout)',
    ],
  ])(
    'is refused for %s, and the experiment stays a draft',
    async (_case, radius, overrides, reason) => {
      const server = await testServer();
      const created = await createExperiment(
        server,
        steadyCpu({
          ...overrides,
          blastRadius: { scope: 'containers', selector: {}, mode: 'all', ...radius },
        }),
      );
      const response = await server.call('POST', `/api/v1/experiments/${created.id}/start`, {
        body: { version: 1 },
      });
      expect(response.statusCode).toBe(422);
      expect(response.json().error).toMatchObject({
        code: 'start_refused',
        message: reason,
        details: { reason },
      });
      expect(server.experiment(created.id).state).toBe('draft');
    },
  );

  it('is refused while the flag is off in that environment, and starts once it is on again', async () => {
    const server = await testServer();
    await server.call('POST', '/api/v1/flags/new-checkout/kill', {
      body: { environment: 'staging' },
      as: 'vic-viewer',
    });
    const created = await createExperiment(
      server,
      steadyCpu({ blastRadius: { scope: 'hosts', selector: {}, mode: 'all', source: inherit() } }),
    );
    const refused = await server.call('POST', `/api/v1/experiments/${created.id}/start`, {
      body: { version: 1 },
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.details.reason).toBe(
      'flag new-checkout is off in staging: no one is served its new code path',
    );
    expect((await cohortOf(server)).instanceIds).toEqual([]);

    await server.call('POST', '/api/v1/flags/new-checkout/enable', {
      body: { environment: 'staging' },
    });
    const started = await server.call('POST', `/api/v1/experiments/${created.id}/start`, {
      body: { version: 1 },
    });
    expect(started.statusCode, started.body).toBe(200);
    expect(started.json().run.targets).toEqual((await cohortOf(server)).hostIds);
  });

  it('routes the traffic by the inherited flag while the experiment runs, when several flags split one service', async () => {
    const server = await testServer();
    const staff = newCheckoutFlag();
    const created = await server.call('POST', '/api/v1/flags', {
      as: 'dev-dana',
      body: {
        ...staff,
        key: 'a-staff-checkout',
        environments: {
          ...staff.environments,
          staging: { state: 'on', rules: staff.environments.staging.rules.slice(0, 1) },
        },
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    server.advance(2);
    const share = (samples: Record<string, MetricSample>) =>
      (samples['all/on']?.values.request_rate ?? 0) / (samples.all?.values.request_rate ?? 1);
    const staffOnly = await cohortOf(server, 'staging', 'checkout', 'a-staff-checkout');
    expect(share(latest(server))).toBeCloseTo(staffOnly.onShare, 1);

    await startExperiment(
      server,
      steadyCpu({
        steps: [{ magnitude: 20, durationSeconds: 600 }],
        blastRadius: { scope: 'hosts', selector: {}, mode: 'all', source: inherit() },
      }),
    );
    server.advance(2);
    expect(share(latest(server))).toBeCloseTo((await cohortOf(server)).onShare, 1);
  });
});

describe('GET /api/v1/flags/:key/cohort', () => {
  it('answers 404 for an unknown flag and 400 naming the field for an unknown service or environment', async () => {
    const server = await testServer();
    expect(
      (await server.call('GET', '/api/v1/flags/nope/cohort?service=checkout&environment=staging'))
        .statusCode,
    ).toBe(404);
    const service = await server.call(
      'GET',
      '/api/v1/flags/new-checkout/cohort?service=billing&environment=staging',
    );
    expect(service.statusCode).toBe(400);
    expect(service.json().error.details.issues[0].path).toBe('service');
    const environment = await server.call(
      'GET',
      '/api/v1/flags/new-checkout/cohort?service=checkout&environment=moon',
    );
    expect(environment.json().error.details.issues[0].path).toBe('environment');
  });

  it('says why a service the flag does not list cannot inherit its cohort', async () => {
    const server = await testServer();
    expect(await cohortOf(server, 'staging', 'search')).toMatchObject({
      refused: 'flag new-checkout is not read by search (it is read by checkout)',
      hostIds: [],
      instanceIds: [],
    });
  });
});
