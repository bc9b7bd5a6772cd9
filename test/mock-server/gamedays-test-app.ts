import type { ExperimentSpecInput } from '../../src/domain';
import { testServer, type TestServer as BaseTestServer } from './test-server';

export interface TestServer extends BaseTestServer {
  /** How many audit rows the store holds. */
  auditCount(): number;
}

/** The shared in-process test server (test-server.ts), with the audit row count at hand. */
export async function startTestServer(): Promise<TestServer> {
  const server = await testServer();
  return { ...server, auditCount: () => server.context.audit.count() };
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
    abortConditions: [
      {
        kind: 'threshold',
        metric: 'http_5xx_rate',
        comparator: '>',
        threshold: 1,
        windowSeconds: 2,
        scope: 'target',
      },
    ],
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
    abortConditions: [
      {
        kind: 'threshold',
        metric: 'http_5xx_rate',
        comparator: '>',
        threshold: 50,
        windowSeconds: 10,
        scope: 'target',
      },
    ],
    ...overrides,
  });
}

export async function createExperiment(
  server: TestServer,
  spec: ExperimentSpecInput,
): Promise<{ id: string; version: number }> {
  const response = await server.call('POST', '/api/v1/experiments', { body: spec });
  if (response.statusCode !== 201)
    throw new Error(`create experiment: ${response.statusCode} ${response.body}`);
  return response.json();
}

export async function startExperiment(
  server: TestServer,
  id: string,
  version: number,
): Promise<void> {
  const response = await server.call('POST', `/api/v1/experiments/${id}/start`, {
    body: { version },
  });
  if (response.statusCode !== 200)
    throw new Error(`start experiment: ${response.statusCode} ${response.body}`);
}
