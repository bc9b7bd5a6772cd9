import type { LightMyRequestResponse } from 'fastify';
import { buildApp, type FaultlineApp } from '../../mock-server/app';
import { ManualClock } from '../../mock-server/clock';
import type { ExperimentSpecInput } from '../../src/domain';

export interface TestServer extends FaultlineApp {
  clock: ManualClock;
  /** A bearer token for a demo user (ada-admin, sam-sre, dev-dana, vic-viewer). */
  tokenFor(user: string): Promise<string>;
  call(method: string, url: string, options?: { as?: string | null; body?: unknown }): Promise<LightMyRequestResponse>;
  auditCount(): number;
}

/** The real server app, in-process, on an in-memory store with a clock that moves only when told to. */
export async function startTestServer(): Promise<TestServer> {
  const clock = new ManualClock(Date.UTC(2025, 0, 6, 9, 0, 0));
  const built = await buildApp({ database: ':memory:', clock, sampleData: false, config: { tickMs: 1000 } });
  const tokens = new Map<string, string>();
  const tokenFor = async (user: string) => {
    const known = tokens.get(user);
    if (known) return known;
    const response = await built.app.inject({ method: 'POST', url: '/api/v1/session', payload: { user } });
    const token = (response.json() as { token: string }).token;
    tokens.set(user, token);
    return token;
  };
  return {
    ...built,
    clock,
    tokenFor,
    async call(method, url, options = {}) {
      const as = options.as === undefined ? 'sam-sre' : options.as;
      const headers: Record<string, string> = as ? { authorization: `Bearer ${await tokenFor(as)}` } : {};
      return built.app.inject({
        method: method as 'GET',
        url,
        headers,
        ...(options.body === undefined ? {} : { payload: options.body as Record<string, unknown> }),
      });
    },
    auditCount: () => built.context.audit.count(),
  };
}

/** An experiment whose error injection trips "5xx rate > 1 %" within a few seconds. */
export function abortingSpec(overrides: Partial<ExperimentSpecInput> = {}): ExperimentSpecInput {
  return {
    name: 'Error burst on checkout',
    hypothesis: 'Checkout retries hide a 30 % error rate from users.',
    environment: 'staging',
    service: 'checkout',
    blastRadius: { scope: 'containers', selector: {}, mode: 'all', source: { kind: 'selector' } },
    attack: { type: 'error' },
    steps: [{ magnitude: 30, durationSeconds: 600 }],
    abortConditions: [{ kind: 'threshold', metric: 'http_5xx_rate', comparator: '>', threshold: 1, windowSeconds: 2, scope: 'target' }],
    ...overrides,
  };
}

/** A gentle experiment that never trips its condition. */
export function calmSpec(overrides: Partial<ExperimentSpecInput> = {}): ExperimentSpecInput {
  return abortingSpec({
    name: 'Mild latency on catalog',
    service: 'catalog',
    attack: { type: 'latency' },
    steps: [{ magnitude: 5, durationSeconds: 600 }],
    abortConditions: [{ kind: 'threshold', metric: 'http_5xx_rate', comparator: '>', threshold: 50, windowSeconds: 10, scope: 'target' }],
    ...overrides,
  });
}

export async function createExperiment(server: TestServer, spec: ExperimentSpecInput): Promise<{ id: string; version: number }> {
  const response = await server.call('POST', '/api/v1/experiments', { body: spec });
  if (response.statusCode !== 201) throw new Error(`create experiment: ${response.statusCode} ${response.body}`);
  return response.json();
}

export async function startExperiment(server: TestServer, id: string, version: number): Promise<void> {
  const response = await server.call('POST', `/api/v1/experiments/${id}/start`, { body: { version } });
  if (response.statusCode !== 200) throw new Error(`start experiment: ${response.statusCode} ${response.body}`);
}
