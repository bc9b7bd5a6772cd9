import { describe, expect, it } from 'vitest';
import { ApiError, describeError } from '@/backend/api-error';
import { createHttpBackend } from '@/backend/http-backend';
import { apiError, fakeFetch, json, networkDown, type FakeHandler } from './fake-fetch';
import { cpuExperiment, USERS } from './fixtures';

function backendOver(
  routes: Record<string, FakeHandler | FakeHandler[]>,
  token: string | null = 'secret-token',
) {
  const fake = fakeFetch(routes);
  return {
    backend: createHttpBackend({
      fetch: fake.fetch,
      baseUrl: 'http://127.0.0.1:4400',
      getToken: () => token,
    }),
    calls: fake.calls,
  };
}

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected the request to fail');
}

describe('the HTTP backend', () => {
  it('sends the bearer token and parses the answer with the domain schema', async () => {
    const experiment = cpuExperiment();
    const { backend, calls } = backendOver({
      [`GET /api/v1/experiments/${experiment.id}`]: () => json(200, experiment),
    });
    await expect(backend.getExperiment(experiment.id)).resolves.toEqual(experiment);
    expect(calls[0]?.headers.get('authorization')).toBe('Bearer secret-token');
  });

  it('sends no Authorization header when nobody is signed in', async () => {
    const { backend, calls } = backendOver(
      { 'GET /api/v1/auth': () => json(200, { demo: true, users: [USERS.sre] }) },
      null,
    );
    await backend.authInfo();
    expect(calls[0]?.headers.has('authorization')).toBe(false);
  });

  it('passes list filters as query parameters, leaving out the unset ones', async () => {
    const { backend, calls } = backendOver({
      'GET /api/v1/experiments': () => json(200, { experiments: [] }),
    });
    await backend.listExperiments({ environment: 'staging', state: undefined });
    expect(calls[0]?.query.toString()).toBe('environment=staging');
  });

  it('turns an error body into an ApiError with code, message, status and field issues', async () => {
    const { backend } = backendOver({
      'POST /api/v1/experiments': () =>
        apiError(
          400,
          'validation_failed',
          'steps.0.magnitude: magnitude must be between 1 and 100 %',
          {
            issues: [
              { path: 'steps.0.magnitude', message: 'magnitude must be between 1 and 100 %' },
            ],
          },
        ),
    });
    const error = await failure(backend.createExperiment(cpuExperiment()));
    expect(error).toMatchObject({ code: 'validation_failed', status: 400 });
    expect(error.issues).toEqual([
      { path: 'steps.0.magnitude', message: 'magnitude must be between 1 and 100 %' },
    ]);
    expect(describeError(error)).toBe(
      'Check the form: steps.0.magnitude: magnitude must be between 1 and 100 %',
    );
  });

  it('carries the reason of a refused start', async () => {
    const { backend } = backendOver({
      'POST /api/v1/experiments/e1/start': () =>
        apiError(422, 'start_refused', 'start refused', {
          reason: 'no instance matches the blast radius',
        }),
    });
    const error = await failure(backend.startExperiment('e1', { version: 1 }));
    expect(error.reason).toBe('no instance matches the blast radius');
    expect(describeError(error)).toBe('Start refused: no instance matches the blast radius');
  });

  it('rejects an answer that does not match the schema, naming the field', async () => {
    const { backend } = backendOver({
      'GET /api/v1/experiments/e1': () => json(200, { ...cpuExperiment(), state: 'exploded' }),
    });
    const error = await failure(backend.getExperiment('e1'));
    expect(error.code).toBe('invalid_response');
    expect(error.message).toContain('state');
  });

  it('reports an unreachable server as a network error a retry may cure', async () => {
    const { backend } = backendOver({ 'POST /api/v1/halt-all': networkDown });
    const error = await failure(backend.haltAll({}));
    expect(error).toMatchObject({ code: 'network_error', status: 0, retryable: true });
    expect(describeError(error)).toMatch(/Cannot reach the Faultline server/);
  });

  it('maps an error page without the API error body to its status', async () => {
    const { backend } = backendOver({
      'GET /api/v1/fleet': () => new Response('Bad Gateway', { status: 502 }),
    });
    const error = await failure(backend.fleet());
    expect(error).toMatchObject({
      code: 'http_502',
      status: 502,
      message: 'Bad Gateway',
      retryable: true,
    });
  });

  it('gives up on a request that takes longer than its timeout', async () => {
    const never: FakeHandler = (request) =>
      new Promise((_, reject) =>
        request.signal?.addEventListener('abort', () => reject(request.signal?.reason)),
      );
    const { backend } = backendOver({ 'POST /api/v1/halt-all': never });
    const error = await failure(backend.haltAll({}, { timeoutMs: 30 }));
    expect(error).toMatchObject({ code: 'timeout', retryable: true });
  });

  it('answers a delete with nothing', async () => {
    const { backend, calls } = backendOver({
      'DELETE /api/v1/experiments/e1': () => new Response(null, { status: 204 }),
    });
    await expect(backend.deleteExperiment('e1', 4)).resolves.toBeUndefined();
    expect(calls[0]?.query.get('version')).toBe('4');
  });
});
