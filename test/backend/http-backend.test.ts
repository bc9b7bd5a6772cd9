import { capability } from '@/lib/backend-context';
import { describe, expect, it } from 'vitest';
import { BackendError } from '@/backend/errors';
import { describeError } from '@/lib/describe-error';
import { createHttpBackend } from '@/backend/http/http-backend';
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

async function failure(promise: Promise<unknown>): Promise<BackendError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof BackendError) return error;
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
    await expect(backend.experiments.getExperiment(experiment.id)).resolves.toEqual(experiment);
    expect(calls[0]?.headers.get('authorization')).toBe('Bearer secret-token');
  });

  it('sends no Authorization header when nobody is signed in', async () => {
    const { backend, calls } = backendOver(
      { 'GET /api/v1/auth': () => json(200, { demo: true, users: [USERS.sre] }) },
      null,
    );
    await capability(backend, 'identity').authInfo();
    expect(calls[0]?.headers.has('authorization')).toBe(false);
  });

  it('passes list filters as query parameters, leaving out the unset ones', async () => {
    const { backend, calls } = backendOver({
      'GET /api/v1/experiments': () => json(200, { experiments: [] }),
    });
    await backend.experiments.listExperiments({ environment: 'staging', state: undefined });
    expect(calls[0]?.query.toString()).toBe('environment=staging');
  });

  it('turns an error body into an `invalid` domain error with the code, message and field issues', async () => {
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
    const error = await failure(backend.experiments.createExperiment(cpuExperiment()));
    expect(error).toMatchObject({ kind: 'invalid', code: 'validation_failed' });
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
    const error = await failure(backend.experiments.startExperiment('e1', { version: 1 }));
    expect(error).toMatchObject({
      kind: 'refused',
      reason: 'no instance matches the blast radius',
    });
    expect(describeError(error)).toBe('Start refused: no instance matches the blast radius');
  });

  it('rejects an answer that does not match the schema, naming the field', async () => {
    const { backend } = backendOver({
      'GET /api/v1/experiments/e1': () => json(200, { ...cpuExperiment(), state: 'exploded' }),
    });
    const error = await failure(backend.experiments.getExperiment('e1'));
    expect(error.kind).toBe('bad-response');
    expect(error.message).toContain('state');
  });

  it('reports an unreachable server as unavailable, which a retry may cure', async () => {
    const { backend } = backendOver({ 'POST /api/v1/halt-all': networkDown });
    const error = await failure(backend.experiments.haltAll({}));
    expect(error).toMatchObject({ kind: 'unavailable', code: 'network_error', retryable: true });
    expect(describeError(error)).toMatch(/Cannot reach the Faultline server/);
  });

  it('maps an error page without the API error body by its status (a 502 is unavailable)', async () => {
    const { backend } = backendOver({
      'GET /api/v1/fleet': () => new Response('Bad Gateway', { status: 502 }),
    });
    const error = await failure(backend.fleet.fleet());
    expect(error).toMatchObject({
      kind: 'unavailable',
      code: 'http_502',
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
    const error = await failure(backend.experiments.haltAll({}, { timeoutMs: 30 }));
    expect(error).toMatchObject({ kind: 'unavailable', code: 'timeout', retryable: true });
  });

  it('says a body cut off by the timeout came too late, not that it is not JSON', async () => {
    const stalled: FakeHandler = (request) =>
      new Response(
        new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('{"samples":['));
            request.signal?.addEventListener('abort', () =>
              controller.error(request.signal?.reason),
            );
          },
        }),
        { status: 200, headers: { 'content-type': 'application/json' } },
      );
    const { backend } = backendOver({ 'GET /api/v1/metrics': stalled });
    const history = backend.fleet.metricHistory(
      { service: 'checkout', environment: 'staging', group: 'all' },
      { timeoutMs: 30 },
    );
    expect(await failure(history)).toMatchObject({ kind: 'unavailable', code: 'timeout' });

    // Cut off by the caller (a query no longer wanted): its own abort, not an error to show.
    const caller = new AbortController();
    const cancelled = backend.fleet.metricHistory(
      { service: 'checkout', environment: 'staging', group: 'all' },
      { signal: caller.signal },
    );
    setTimeout(() => caller.abort(), 10);
    await expect(cancelled).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('answers a delete with nothing', async () => {
    const { backend, calls } = backendOver({
      'DELETE /api/v1/experiments/e1': () => new Response(null, { status: 204 }),
    });
    await expect(backend.experiments.deleteExperiment('e1', 4)).resolves.toBeUndefined();
    expect(calls[0]?.query.get('version')).toBe('4');
  });
});
