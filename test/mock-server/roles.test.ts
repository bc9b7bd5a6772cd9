import { describe, expect, it } from 'vitest';
import {
  cpuSpec,
  createExperiment,
  mildLatencySpec,
  startExperiment,
  testServer,
  type TestServer,
} from './test-server';

interface Route {
  name: string;
  /** Prepares what the request acts on (as an admin) and returns the request. */
  prepare(server: TestServer): Promise<{ method: string; url: string; body?: unknown }>;
  /** The status a permitted user gets. */
  ok: number;
  allowed: readonly string[];
}

const EVERYONE = ['vic-viewer', 'dev-dana', 'sam-sre', 'ada-admin'];
const WRITERS = ['dev-dana', 'sam-sre', 'ada-admin'];
const STARTERS = ['sam-sre', 'ada-admin'];

const draft = (server: TestServer) => createExperiment(server, cpuSpec());

const ROUTES: Route[] = [
  {
    name: 'create an experiment',
    ok: 201,
    allowed: WRITERS,
    prepare: async () => ({ method: 'POST', url: '/api/v1/experiments', body: cpuSpec() }),
  },
  {
    name: 'edit a draft',
    ok: 200,
    allowed: WRITERS,
    prepare: async (server) => {
      const { id, version } = await draft(server);
      return {
        method: 'PUT',
        url: `/api/v1/experiments/${id}`,
        body: { version, spec: cpuSpec({ name: 'Renamed' }) },
      };
    },
  },
  {
    name: 'delete a draft',
    ok: 204,
    allowed: WRITERS,
    prepare: async (server) => {
      const { id, version } = await draft(server);
      return { method: 'DELETE', url: `/api/v1/experiments/${id}?version=${version}` };
    },
  },
  {
    name: 'start an experiment',
    ok: 200,
    allowed: STARTERS,
    prepare: async (server) => {
      const { id, version } = await draft(server);
      return { method: 'POST', url: `/api/v1/experiments/${id}/start`, body: { version } };
    },
  },
  {
    name: 'halt an experiment',
    ok: 200,
    allowed: EVERYONE,
    prepare: async (server) => {
      const { id } = await startExperiment(server, mildLatencySpec());
      return { method: 'POST', url: `/api/v1/experiments/${id}/halt`, body: {} };
    },
  },
  {
    name: 'halt all',
    ok: 200,
    allowed: EVERYONE,
    prepare: async (server) => {
      await startExperiment(server, mildLatencySpec());
      return { method: 'POST', url: '/api/v1/halt-all', body: {} };
    },
  },
];

const CASES = ROUTES.flatMap((route) =>
  [...EVERYONE, null].map((user) => ({
    route: route.name,
    user: user ?? 'nobody',
    as: user,
    expected: user === null ? 401 : route.allowed.includes(user) ? route.ok : 403,
    definition: route,
  })),
);

describe('who may change what', () => {
  it.each(CASES)('$route as $user answers $expected', async ({ as, expected, definition }) => {
    const server = await testServer();
    const request = await definition.prepare(server);
    const experimentsBefore = server.context.experiments.list();
    const auditBefore = server.context.audit.count();

    const response = await server.call(request.method, request.url, { as, body: request.body });
    expect(response.statusCode).toBe(expected);
    if (expected >= 400) {
      expect(response.json().error.code).toBe(expected === 401 ? 'unauthenticated' : 'forbidden');
      expect(server.context.experiments.list()).toEqual(experimentsBefore);
      expect(server.context.audit.count()).toBe(auditBefore);
    } else {
      expect(server.context.audit.count()).toBeGreaterThan(auditBefore);
    }
  });

  it('lets any signed-in user read, and nobody without a token', async () => {
    const server = await testServer();
    for (const url of [
      '/api/v1/experiments',
      '/api/v1/fleet',
      '/api/v1/audit',
      '/api/v1/me',
      '/api/v1/metrics?service=checkout&environment=staging',
    ]) {
      expect((await server.call('GET', url, { as: 'vic-viewer' })).statusCode).toBe(200);
      expect((await server.call('GET', url, { as: null })).statusCode).toBe(401);
    }
  });
});
