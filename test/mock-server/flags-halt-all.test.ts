import { OFREPProvider } from '@openfeature/ofrep-provider';
import { OpenFeature } from '@openfeature/server-sdk';
import { afterAll, describe, expect, it } from 'vitest';
import type { ExperimentSpecInput, StreamEvent } from '@/domain';
import type { Flag } from '@/domain/flags';
import {
  cpuSpec,
  mildLatencySpec,
  startExperiment,
  testServer,
  type TestServer,
} from './test-server';

afterAll(() => OpenFeature.close());

const staff = {
  targetingKey: 'emp-7',
  email: 'ana.7@faultline.dev',
  country: 'US',
  company: 'Faultline',
};

/** What an application reading new-checkout in `environment` gets, through the OpenFeature SDK and our OFREP endpoint. */
async function newCheckoutFor(server: TestServer, baseUrl: string, environment: string) {
  const domain = `halt-all-${environment}-${Math.random()}`;
  const key = await server.ofrepKey(environment);
  await OpenFeature.setProviderAndWait(
    domain,
    new OFREPProvider({ baseUrl, headers: [['X-API-Key', key]] }),
  );
  return OpenFeature.getClient(domain).getBooleanDetails('new-checkout', false, staff);
}

const inheriting = (environment: ExperimentSpecInput['environment']) =>
  cpuSpec({
    environment,
    steps: [{ magnitude: 20, durationSeconds: 600 }],
    blastRadius: {
      scope: 'hosts',
      selector: {},
      mode: 'all',
      source: { kind: 'flag', flagKey: 'new-checkout' },
    },
  });

async function running(server: TestServer) {
  return {
    staging: await startExperiment(server, inheriting('staging')),
    production: await startExperiment(server, inheriting('production')),
    plain: await startExperiment(
      server,
      mildLatencySpec({ environment: 'staging', steps: [{ magnitude: 50, durationSeconds: 600 }] }),
    ),
  };
}

function collect(server: TestServer): StreamEvent[] {
  const events: StreamEvent[] = [];
  server.context.bus.subscribe((record) => events.push(record.event));
  return events;
}

const stateIn = async (server: TestServer, environment: 'staging' | 'production') =>
  ((await server.call('GET', '/api/v1/flags/new-checkout')).json() as Flag).environments[
    environment
  ].state;

describe('halt all with killFlags', () => {
  it(
    "turns off the inherited flags in the halted experiments' environments, in the same " +
      'change: audited, on the stream, and OFREP answers DISABLED',
    async () => {
      const server = await testServer();
      const baseUrl = await server.app.listen({ port: 0, host: '127.0.0.1' });
      try {
        const experiments = await running(server);
        expect(await newCheckoutFor(server, baseUrl, 'staging')).toMatchObject({
          value: true,
          reason: 'TARGETING_MATCH',
        });
        await server.ofrepKey('production');
        const events = collect(server);

        const response = await server.call('POST', '/api/v1/halt-all', {
          as: 'vic-viewer',
          body: { environment: 'staging', killFlags: true },
        });
        expect(response.statusCode, response.body).toBe(200);
        expect(response.json().flagsKilled).toEqual(['new-checkout']);
        expect([...response.json().halted].sort()).toEqual(
          [experiments.staging.id, experiments.plain.id].sort(),
        );

        expect(await stateIn(server, 'staging')).toBe('off');
        expect(await stateIn(server, 'production')).toBe('on');
        expect(server.experiment(experiments.production.id).state).toBe('running');
        expect(await newCheckoutFor(server, baseUrl, 'staging')).toMatchObject({
          value: false,
          variant: 'off',
          reason: 'DISABLED',
        });
        expect(await newCheckoutFor(server, baseUrl, 'production')).toMatchObject({
          value: true,
          reason: 'TARGETING_MATCH',
        });

        const shapes = events.map((e) =>
          e.type === 'experiment'
            ? `experiment ${e.change}`
            : e.type === 'resource'
              ? `${e.resource} ${e.change} ${e.id}`
              : e.type,
        );
        expect(shapes).toEqual([
          'experiment halted',
          'experiment halted',
          'flags killed new-checkout',
          'halt-all',
        ]);
        expect(events.at(-1)).toMatchObject({
          type: 'halt-all',
          by: 'vic-viewer',
          flagsKilled: ['new-checkout'],
        });

        const audit = (await server.call('GET', '/api/v1/audit?limit=10')).json().entries as {
          action: string;
          actor: string;
          targetId: string;
          after: unknown;
        }[];
        const kill = audit.find((e) => e.action === 'flag.kill');
        expect(kill).toMatchObject({ actor: 'vic-viewer', targetId: 'new-checkout' });
        expect(audit.find((e) => e.action === 'halt-all')?.after).toMatchObject({
          flagsKilled: ['new-checkout'],
        });
        const history = (await server.call('GET', '/api/v1/flags/new-checkout/history')).json()
          .entries;
        expect(history[0]).toMatchObject({
          change: 'killed',
          environment: 'staging',
          by: 'vic-viewer',
        });

        // The fleet follows: no one in staging is served the new path any more.
        server.advance(2);
        const cohorts = server.simulation
          .latest()
          .filter((s) => s.service === 'checkout' && s.environment === 'staging' && s.cohort);
        expect(cohorts).toEqual([]);
      } finally {
        await server.app.close();
      }
    },
  );

  it('names a flag once however many halted experiments inherited from it, and a second press turns off nothing more', async () => {
    const server = await testServer();
    await running(server);
    await startExperiment(server, inheriting('staging'));
    const first = await server.call('POST', '/api/v1/halt-all', { body: { killFlags: true } });
    expect(first.json().flagsKilled).toEqual(['new-checkout']);
    expect([await stateIn(server, 'staging'), await stateIn(server, 'production')]).toEqual([
      'off',
      'off',
    ]);
    const history = (await server.call('GET', '/api/v1/flags/new-checkout/history')).json()
      .entries as { change: string }[];
    expect(history.filter((h) => h.change === 'killed')).toHaveLength(2);

    const again = await server.call('POST', '/api/v1/halt-all', { body: { killFlags: true } });
    expect(again.json()).toEqual({ halted: [], flagsKilled: [] });
  });

  it('leaves the flags on without killFlags', async () => {
    const server = await testServer();
    const experiments = await running(server);
    const response = await server.call('POST', '/api/v1/halt-all', { body: {} });
    expect(response.json().flagsKilled).toEqual([]);
    expect(response.json().halted).toHaveLength(3);
    expect(server.experiment(experiments.staging.id).state).toBe('halted');
    expect([await stateIn(server, 'staging'), await stateIn(server, 'production')]).toEqual([
      'on',
      'on',
    ]);
    const audit = (await server.call('GET', '/api/v1/audit?action=flag.kill')).json().entries;
    expect(audit).toEqual([]);
  });
});
