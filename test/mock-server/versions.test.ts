import { describe, expect, it } from 'vitest';
import {
  cpuSpec,
  createExperiment,
  mildLatencySpec,
  startExperiment,
  testServer,
} from './test-server';

describe('versioned writes', () => {
  it.each([
    [
      'edit',
      'PUT',
      (id: string) => `/api/v1/experiments/${id}`,
      { version: 1, spec: cpuSpec({ name: 'Mine' }) },
    ],
    ['delete', 'DELETE', (id: string) => `/api/v1/experiments/${id}?version=1`, undefined],
    ['start', 'POST', (id: string) => `/api/v1/experiments/${id}/start`, { version: 1 }],
  ] as const)(
    'refuses a stale %s with 409 and the stored record',
    async (_name, method, url, body) => {
      const server = await testServer();
      const created = await createExperiment(server, cpuSpec());
      const edited = await server.call('PUT', `/api/v1/experiments/${created.id}`, {
        body: { version: 1, spec: cpuSpec({ name: 'Theirs' }) },
      });
      expect(edited.json().version).toBe(2);
      const audited = server.context.audit.count();

      const response = await server.call(method, url(created.id), { body });
      expect(response.statusCode).toBe(409);
      expect(response.json().error).toMatchObject({
        code: 'version_conflict',
        details: { current: { name: 'Theirs', version: 2 } },
      });
      expect(server.experiment(created.id)).toEqual(edited.json());
      expect(server.context.audit.count()).toBe(audited);
    },
  );

  it('edits only a draft: a running experiment answers 409 invalid_state', async () => {
    const server = await testServer();
    const running = await startExperiment(server, mildLatencySpec());
    const response = await server.call('PUT', `/api/v1/experiments/${running.id}`, {
      body: { version: running.version, spec: mildLatencySpec({ name: 'Changed' }) },
    });
    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe('invalid_state');
    expect(server.experiment(running.id).name).toBe('Mild latency on payments');
  });

  it('answers 404 for an unknown experiment', async () => {
    const server = await testServer();
    for (const [method, url, body] of [
      ['GET', '/api/v1/experiments/nope', undefined],
      ['POST', '/api/v1/experiments/nope/start', { version: 1 }],
      ['POST', '/api/v1/experiments/nope/halt', {}],
    ] as const) {
      const response = await server.call(method, url, { body });
      expect(response.statusCode).toBe(404);
      expect(response.json().error.code).toBe('not_found');
    }
  });
});
