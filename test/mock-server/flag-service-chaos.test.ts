import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { OFREPProvider } from '@openfeature/ofrep-provider';
import { OpenFeature, type Client } from '@openfeature/server-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ENVIRONMENTS,
  FLAG_SERVICE,
  type ExperimentSpecInput,
  type MetricSample,
} from '../../src/domain';
import { cpuSpec, createExperiment, startExperiment, testServer } from './test-server';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  await OpenFeature.close();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** An employee: the new checkout is on for them in staging and production alike. */
const EMPLOYEE = { targetingKey: 'emp-1', email: 'ana@faultline.dev', country: 'US' };

async function serve(options: Parameters<typeof testServer>[0] = {}) {
  const server = await testServer(options);
  cleanups.push(() => server.app.close());
  const baseUrl = await server.app.listen({ port: 0, host: '127.0.0.1' });
  const keys: Record<string, string> = {};
  for (const environment of ENVIRONMENTS) keys[environment] = await server.ofrepKey(environment);
  /** A real OpenFeature client of this server's OFREP endpoint, in one environment. */
  async function clientFor(environment: string): Promise<Client> {
    const domain = `${environment}-${Math.random()}`;
    await OpenFeature.setProviderAndWait(
      domain,
      new OFREPProvider({ baseUrl, headers: [['X-API-Key', keys[environment] as string]] }),
    );
    return OpenFeature.getClient(domain);
  }
  return { server, clientFor, baseUrl, keys };
}

/** Chaos on the flag service of one environment, for ten minutes, watched on its own 5xx rate. */
function flagServiceSpec(
  attack: ExperimentSpecInput['attack']['type'],
  magnitude: number | undefined,
  environment: ExperimentSpecInput['environment'] = 'staging',
): ExperimentSpecInput {
  return cpuSpec({
    name: `Flag service ${attack} in ${environment}`,
    hypothesis: 'Checkout keeps serving its fallback value while the flag service fails.',
    service: FLAG_SERVICE,
    environment,
    blastRadius: { scope: 'hosts', selector: {}, mode: 'all', source: { kind: 'selector' } },
    attack: { type: attack },
    steps: [{ ...(magnitude === undefined ? {} : { magnitude }), durationSeconds: 600 }],
    abortConditions: [
      {
        kind: 'threshold',
        metric: 'latency_p99',
        comparator: '>',
        threshold: 600_000,
        windowSeconds: 10,
        scope: 'target',
      },
    ],
  });
}

describe("chaos on Faultline's own flag service", () => {
  it('lists the OFREP endpoint of each environment as a target in the fleet', async () => {
    const { server } = await serve();
    const fleet = (await server.call('GET', '/api/v1/fleet')).json() as {
      services: { name: string }[];
      instances: { id: string; service: string; environment: string }[];
    };
    expect(fleet.services.map((s) => s.name)).toContain(FLAG_SERVICE);
    expect(fleet.instances.filter((i) => i.service === FLAG_SERVICE)).toEqual(
      ['development', 'testing', 'staging', 'production'].map((environment) =>
        expect.objectContaining({ id: `ofrep-${environment}`, environment }),
      ),
    );
  });

  it("gives staging's OpenFeature client its fallback value (reason ERROR) while production's stay right, until halt", async () => {
    const { server, clientFor } = await serve();
    const staging = await clientFor('staging');
    const production = await clientFor('production');
    expect(await staging.getBooleanDetails('new-checkout', false, EMPLOYEE)).toMatchObject({
      value: true,
      reason: 'TARGETING_MATCH',
    });

    const running = await startExperiment(server, flagServiceSpec('error', 100));
    expect(running.run?.targets).toEqual(['ofrep-staging']);
    // One measurement now, so the next one holds only what was answered under the fault.
    server.advance(1);

    for (let i = 0; i < 5; i += 1) {
      const failed = await staging.getBooleanDetails('new-checkout', false, EMPLOYEE);
      expect(failed).toMatchObject({ value: false, reason: 'ERROR', errorCode: 'GENERAL' });
      const right = await production.getBooleanDetails('new-checkout', false, EMPLOYEE);
      expect(right).toMatchObject({ value: true, variant: 'on', reason: 'TARGETING_MATCH' });
    }
    // The dashboard's own API is never affected.
    expect((await server.call('GET', '/api/v1/flags')).statusCode).toBe(200);

    // The endpoint measures itself: staging's 5xx rate is what the client saw.
    server.advance(1);
    const samples = server.engine.latestSamples();
    const of = (environment: string) =>
      samples.find(
        (s: MetricSample) =>
          s.service === FLAG_SERVICE && s.environment === environment && s.group === 'all',
      )?.values;
    expect(of('staging')).toMatchObject({ http_5xx_rate: 100 });
    expect(of('production')).toMatchObject({ http_5xx_rate: 0 });

    const halted = await server.call('POST', `/api/v1/experiments/${running.id}/halt`, {
      body: {},
    });
    expect(halted.statusCode).toBe(200);
    expect(await staging.getBooleanDetails('new-checkout', false, EMPLOYEE)).toMatchObject({
      value: true,
      reason: 'TARGETING_MATCH',
    });
  });

  it('answers every evaluation of one environment 503 in an outage, and halt all ends it', async () => {
    const { server, clientFor } = await serve();
    const testing = await clientFor('testing');
    const staging = await clientFor('staging');
    await startExperiment(server, flagServiceSpec('shutdown', undefined, 'testing'));
    expect(await testing.getBooleanDetails('new-checkout', false, EMPLOYEE)).toMatchObject({
      value: false,
      reason: 'ERROR',
    });
    expect(await staging.getBooleanValue('new-checkout', false, EMPLOYEE)).toBe(true);
    expect((await server.call('POST', '/api/v1/halt-all', { body: {} })).statusCode).toBe(200);
    expect(await testing.getBooleanDetails('new-checkout', false, EMPLOYEE)).toMatchObject({
      value: true,
      variant: 'on',
    });
  });

  it("holds staging's evaluations for the added latency, and the endpoint's p99 shows it", async () => {
    const { server, clientFor } = await serve();
    const staging = await clientFor('staging');
    await startExperiment(server, flagServiceSpec('latency', 300));
    expect(await staging.getBooleanValue('new-checkout', false, EMPLOYEE)).toBe(true);
    server.advance(1);
    const p99 = server.engine
      .latestSamples()
      .find((s) => s.service === FLAG_SERVICE && s.environment === 'staging' && s.group === 'all')
      ?.values.latency_p99;
    expect(p99).toBeGreaterThanOrEqual(300);
  });

  it("answers staging's evaluations 429 with Retry-After under rate limiting: a 4xx, not a 5xx", async () => {
    const { server, clientFor, baseUrl, keys } = await serve();
    const staging = await clientFor('staging');
    await startExperiment(server, flagServiceSpec('rate-limit', 100));
    server.advance(1);
    const answer = await fetch(`${baseUrl}/ofrep/v1/evaluate/flags/new-checkout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': keys.staging as string },
      body: JSON.stringify({ context: EMPLOYEE }),
    });
    expect(answer.status).toBe(429);
    expect(answer.headers.get('retry-after')).toBe('1');
    // The OFREP provider backs off and its client serves the fallback value meanwhile.
    expect(await staging.getBooleanDetails('new-checkout', false, EMPLOYEE)).toMatchObject({
      value: false,
      reason: 'ERROR',
    });
    server.advance(1);
    const staged = server.engine
      .latestSamples()
      .find((s) => s.service === FLAG_SERVICE && s.environment === 'staging' && s.group === 'all');
    expect(staged?.values).toMatchObject({ http_4xx_rate: 100, http_5xx_rate: 0, error_rate: 0 });
  });

  it('refuses connection drops on the flag service with the reason, and starts nothing', async () => {
    const { server } = await serve();
    const created = await createExperiment(server, flagServiceSpec('connection-drop', 50));
    const response = await server.call('POST', `/api/v1/experiments/${created.id}/start`, {
      body: { version: created.version },
    });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain(
      "served by Faultline's own server, which never cuts connections",
    );
    expect(server.experiment(created.id).state).toBe('draft');
  });

  it('refuses CPU pressure on the flag service with the reason, and starts nothing', async () => {
    const { server } = await serve();
    const created = await createExperiment(server, flagServiceSpec('cpu', 50));
    const response = await server.call('POST', `/api/v1/experiments/${created.id}/start`, {
      body: { version: created.version },
    });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain("the flag service's OFREP endpoint takes only");
    expect(server.experiment(created.id).state).toBe('draft');
  });

  it('leaves no OFREP fault behind a restart: the run is interrupted and staging evaluates again', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'faultline-flag-chaos-'));
    cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
    const database = path.join(folder, 'faultline.sqlite');
    const first = await serve({ database });
    const running = await startExperiment(first.server, flagServiceSpec('shutdown', undefined));
    const before = await first.clientFor('staging');
    expect((await before.getBooleanDetails('new-checkout', false, EMPLOYEE)).reason).toBe('ERROR');
    await first.server.app.close();

    const second = await serve({ database });
    expect(second.server.experiment(running.id).state).toBe('interrupted');
    const after = await second.clientFor('staging');
    expect(await after.getBooleanDetails('new-checkout', false, EMPLOYEE)).toMatchObject({
      value: true,
      reason: 'TARGETING_MATCH',
    });
  });
});
