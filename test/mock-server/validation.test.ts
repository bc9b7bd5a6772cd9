import { describe, expect, it } from 'vitest';
import { cpuSpec, createExperiment, testServer, type TestServer } from './test-server';

/** Everything a request could have changed: the experiments and the audit log. */
function snapshot(server: TestServer) {
  return { experiments: server.context.experiments.list(), audit: server.context.audit.count() };
}

interface Case {
  name: string;
  method: string;
  url: (id: string) => string;
  body?: unknown;
  rawBody?: string;
  /** The field the answer must name ('' for the body as a whole). */
  path: string;
}

const valid = cpuSpec();
const CASES: Case[] = [
  {
    name: 'create without a name',
    method: 'POST',
    url: () => '/api/v1/experiments',
    body: { ...valid, name: '' },
    path: 'name',
  },
  {
    name: 'create without a hypothesis',
    method: 'POST',
    url: () => '/api/v1/experiments',
    body: { ...valid, hypothesis: undefined },
    path: 'hypothesis',
  },
  {
    name: 'create with an unknown environment',
    method: 'POST',
    url: () => '/api/v1/experiments',
    body: { ...valid, environment: 'moon' },
    path: 'environment',
  },
  {
    name: 'create with an unknown service',
    method: 'POST',
    url: () => '/api/v1/experiments',
    body: { ...valid, service: 'teleport' },
    path: 'service',
  },
  {
    name: 'create with a CPU magnitude out of range',
    method: 'POST',
    url: () => '/api/v1/experiments',
    body: {
      ...valid,
      steps: [
        { magnitude: 50, durationSeconds: 60 },
        { magnitude: 150, durationSeconds: 60 },
      ],
    },
    path: 'steps.1.magnitude',
  },
  {
    name: 'create without abort conditions',
    method: 'POST',
    url: () => '/api/v1/experiments',
    body: { ...valid, abortConditions: [] },
    path: 'abortConditions',
  },
  {
    name: 'create with a percent blast radius above 100',
    method: 'POST',
    url: () => '/api/v1/experiments',
    body: { ...valid, blastRadius: { scope: 'hosts', selector: {}, mode: 'percent', value: 120 } },
    path: 'blastRadius.value',
  },
  {
    name: 'create with a body that is not JSON',
    method: 'POST',
    url: () => '/api/v1/experiments',
    rawBody: '{"name": ',
    path: '',
  },
  {
    name: 'create with an array body',
    method: 'POST',
    url: () => '/api/v1/experiments',
    body: [valid],
    path: '',
  },
  {
    name: 'update without a version',
    method: 'PUT',
    url: (id) => `/api/v1/experiments/${id}`,
    body: { spec: valid },
    path: 'version',
  },
  {
    name: 'update with a bad step duration',
    method: 'PUT',
    url: (id) => `/api/v1/experiments/${id}`,
    body: { version: 1, spec: { ...valid, steps: [{ magnitude: 50, durationSeconds: 0.5 }] } },
    path: 'spec.steps.0.durationSeconds',
  },
  {
    name: 'create with a window longer than the whole run (as the designer refuses it)',
    method: 'POST',
    url: () => '/api/v1/experiments',
    body: {
      ...valid,
      steps: [{ magnitude: 50, durationSeconds: 10 }],
      abortConditions: [
        {
          kind: 'threshold',
          metric: 'http_5xx_rate',
          comparator: '>',
          threshold: 1,
          windowSeconds: 30,
          scope: 'target',
        },
      ],
    },
    path: 'abortConditions.0.windowSeconds',
  },
  {
    name: 'update to a run shorter than a window',
    method: 'PUT',
    url: (id) => `/api/v1/experiments/${id}`,
    body: { version: 1, spec: { ...valid, steps: [{ magnitude: 50, durationSeconds: 10 }] } },
    path: `spec.abortConditions.${valid.abortConditions.findIndex((c) => c.windowSeconds > 10)}.windowSeconds`,
  },
  {
    name: 'update to an unknown service',
    method: 'PUT',
    url: (id) => `/api/v1/experiments/${id}`,
    body: { version: 1, spec: { ...valid, service: 'nope' } },
    path: 'spec.service',
  },
  {
    name: 'delete without a version',
    method: 'DELETE',
    url: (id) => `/api/v1/experiments/${id}`,
    path: 'version',
  },
  {
    name: 'delete with a version that is not a number',
    method: 'DELETE',
    url: (id) => `/api/v1/experiments/${id}?version=abc`,
    path: 'version',
  },
  {
    name: 'start without a version',
    method: 'POST',
    url: (id) => `/api/v1/experiments/${id}/start`,
    body: {},
    path: 'version',
  },
  {
    name: 'start with a text version',
    method: 'POST',
    url: (id) => `/api/v1/experiments/${id}/start`,
    body: { version: 'one' },
    path: 'version',
  },
  {
    name: 'start confirming an unknown environment',
    method: 'POST',
    url: (id) => `/api/v1/experiments/${id}/start`,
    body: { version: 1, confirmEnvironment: 'moon' },
    path: 'confirmEnvironment',
  },
  {
    name: 'halt with an array body',
    method: 'POST',
    url: (id) => `/api/v1/experiments/${id}/halt`,
    body: [],
    path: '',
  },
  {
    name: 'halt all in an unknown environment',
    method: 'POST',
    url: () => '/api/v1/halt-all',
    body: { environment: 'moon' },
    path: 'environment',
  },
  {
    name: 'halt all with an empty service',
    method: 'POST',
    url: () => '/api/v1/halt-all',
    body: { service: '' },
    path: 'service',
  },
  {
    name: 'halt all with killFlags as text',
    method: 'POST',
    url: () => '/api/v1/halt-all',
    body: { killFlags: 'yes' },
    path: 'killFlags',
  },
  {
    name: 'a session without a user',
    method: 'POST',
    url: () => '/api/v1/session',
    body: { user: '' },
    path: 'user',
  },
];

describe('malformed requests', () => {
  it.each(CASES)(
    '$name: 400 naming "$path", and nothing changes',
    async ({ method, url, body, rawBody, path }) => {
      const server = await testServer();
      const draft = await createExperiment(server, cpuSpec());
      const before = snapshot(server);

      const response = await server.call(method, url(draft.id), { body, rawBody });
      expect(response.statusCode).toBe(400);
      const error = response.json().error;
      expect(error.code).toBe('validation_failed');
      expect(error.details.issues[0].path).toBe(path);
      expect(error.message).toContain(path ? `${path}:` : '');
      expect(snapshot(server)).toEqual(before);
    },
  );
});
