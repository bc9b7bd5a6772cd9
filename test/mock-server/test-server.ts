import type { LightMyRequestResponse } from 'fastify';
import { buildApp, type BuildAppOptions, type FaultlineApp } from '../../mock-server/app';
import { ManualClock } from '../../mock-server/clock';
import type { Experiment, ExperimentSpecInput } from '../../src/domain';
import { cpuSpec as sampleCpuSpec } from '../domain/fixtures';

export const START = Date.UTC(2025, 0, 6, 9, 0, 0);

export interface TestServer extends FaultlineApp {
  clock: ManualClock;
  /** A bearer token for a demo user (ada-admin, sam-sre, dev-dana, vic-viewer). */
  tokenFor(user: string): Promise<string>;
  /** A request as `as` (default sam-sre; null: no token). */
  call(
    method: string,
    url: string,
    options?: { as?: string | null; body?: unknown; rawBody?: string },
  ): Promise<LightMyRequestResponse>;
  /**
   * An OFREP key for `environment`, made (as ada-admin) on first use: the server shows a key only
   * in the answer that makes it. Later calls give the same key.
   */
  ofrepKey(environment: string): Promise<string>;
  /** Moves simulated time on by `seconds`, one tick a second. */
  advance(seconds: number): void;
  experiment(id: string): Experiment;
}

/** The real server app, in-process, with a clock that moves only when told to; its own store each time. */
export async function testServer(options: BuildAppOptions = {}): Promise<TestServer> {
  const clock = new ManualClock(START);
  const built = await buildApp({
    database: ':memory:',
    clock,
    sampleData: false,
    ...options,
    config: { tickMs: 1000, ...options.config },
  });
  const tokens = new Map<string, string>();
  const ofrepKeys = new Map<string, string>();
  const tokenFor = async (user: string) => {
    const known = tokens.get(user);
    if (known) return known;
    const response = await built.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { user },
    });
    const token = (response.json() as { token: string }).token;
    tokens.set(user, token);
    return token;
  };
  return {
    ...built,
    clock,
    tokenFor,
    async call(method, url, { as = 'sam-sre', body, rawBody } = {}) {
      const headers: Record<string, string> = as
        ? { authorization: `Bearer ${await tokenFor(as)}` }
        : {};
      if (rawBody !== undefined) headers['content-type'] = 'application/json';
      const payload = rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
      if (payload !== undefined) headers['content-type'] = 'application/json';
      return built.app.inject({
        method: method as 'GET',
        url,
        headers,
        ...(payload === undefined ? {} : { payload }),
      });
    },
    async ofrepKey(environment) {
      const known = ofrepKeys.get(environment);
      if (known) return known;
      const response = await built.app.inject({
        method: 'POST',
        url: `/api/v1/ofrep-keys/${environment}/rotate`,
        headers: { authorization: `Bearer ${await tokenFor('ada-admin')}` },
        payload: {},
      });
      if (response.statusCode !== 200)
        throw new Error(`make an OFREP key: ${response.statusCode} ${response.body}`);
      const { key } = response.json() as { key: string };
      ofrepKeys.set(environment, key);
      return key;
    },
    advance(seconds) {
      clock.advance(seconds * 1000);
    },
    experiment(id) {
      const found = built.context.experiments.get(id);
      if (!found) throw new Error(`no experiment ${id}`);
      return found;
    },
  };
}

/**
 * The CPU experiment of the sample data (checkout in staging, 50 % then 60 %) as a request body,
 * with any field replaced.
 */
export function cpuSpec(overrides: Partial<ExperimentSpecInput> = {}): ExperimentSpecInput {
  return { ...sampleCpuSpec(), ...overrides };
}

/**
 * Added latency (`magnitude` ms) on one host of `service` in staging, aborting when 5xx pass
 * 5 % on the target or on the whole service (`scope`): what real-Prometheus tests watch.
 */
export function fivexxOnOneHostSpec(
  service: string,
  { scope = 'target', magnitude = 100 }: { scope?: 'target' | 'service'; magnitude?: number } = {},
  overrides: Partial<ExperimentSpecInput> = {},
): ExperimentSpecInput {
  return cpuSpec({
    name: `5xx on one ${service} host`,
    environment: 'staging',
    service,
    blastRadius: {
      scope: 'hosts',
      selector: {},
      mode: 'count',
      value: 1,
      source: { kind: 'selector' },
    },
    attack: { type: 'latency' },
    steps: [{ magnitude, durationSeconds: 600 }],
    abortConditions: [
      {
        kind: 'threshold',
        metric: 'http_5xx_rate',
        comparator: '>',
        threshold: 5,
        windowSeconds: 0,
        scope,
      },
    ],
    ...overrides,
  });
}

/** CPU pressure on every checkout instance, aborting when CPU stays over `threshold` % for 5 s. */
export function cpuOnEveryInstance(threshold: number): ExperimentSpecInput {
  return cpuSpec({
    blastRadius: {
      scope: 'containers',
      selector: {},
      mode: 'percent',
      value: 100,
      source: { kind: 'selector' },
    },
    abortConditions: [
      {
        kind: 'threshold',
        metric: 'cpu',
        comparator: '>',
        threshold,
        windowSeconds: 5,
        scope: 'target',
      },
    ],
  });
}

/** Added latency small enough that nothing trips: it runs to the end of its ramp. */
export function mildLatencySpec(overrides: Partial<ExperimentSpecInput> = {}): ExperimentSpecInput {
  return cpuSpec({
    name: 'Mild latency on payments',
    service: 'payments',
    environment: 'development',
    attack: { type: 'latency' },
    steps: [{ magnitude: 50, durationSeconds: 60 }],
    abortConditions: [
      {
        kind: 'threshold',
        metric: 'http_5xx_rate',
        comparator: '>',
        threshold: 1,
        windowSeconds: 10,
        scope: 'target',
      },
      { kind: 'rising', metric: 'error_rate', delta: 2, windowSeconds: 30, scope: 'target' },
      {
        kind: 'threshold',
        metric: 'latency_p99',
        comparator: '>',
        threshold: 1000,
        windowSeconds: 30,
        scope: 'target',
      },
    ],
    ...overrides,
  });
}

export async function createExperiment(
  server: TestServer,
  spec: ExperimentSpecInput,
): Promise<Experiment> {
  const response = await server.call('POST', '/api/v1/experiments', { body: spec });
  if (response.statusCode !== 201)
    throw new Error(`create experiment: ${response.statusCode} ${response.body}`);
  return response.json();
}

export async function startExperiment(
  server: TestServer,
  spec: ExperimentSpecInput,
): Promise<Experiment> {
  const created = await createExperiment(server, spec);
  const body = {
    version: created.version,
    ...(spec.environment === 'production' ? { confirmEnvironment: 'production' } : {}),
  };
  const response = await server.call('POST', `/api/v1/experiments/${created.id}/start`, { body });
  if (response.statusCode !== 200)
    throw new Error(`start experiment: ${response.statusCode} ${response.body}`);
  return response.json();
}
