import { describe, expect, it } from 'vitest';
import { apiErrorSchema } from '../../src/domain';
import { cpuSpec, testServer } from './test-server';

async function authorised(server: Awaited<ReturnType<typeof testServer>>) {
  return { authorization: `Bearer ${await server.tokenFor('sam-sre')}` };
}

describe('every error keeps the contract { error: { code, message, details } }', () => {
  it('a malformed URL is a 400 in the contract, not Fastify’s own body', async () => {
    const server = await testServer();
    const response = await server.app.inject({
      method: 'GET',
      url: '/api/v1/experiments/%E0%A4%A',
      headers: await authorised(server),
    });
    expect(response.statusCode).toBe(400);
    expect(apiErrorSchema.strict().parse(response.json()).error.code).toBe('bad_request');
    await server.app.close();
  });

  it('an unknown route is a 404 in the contract', async () => {
    const server = await testServer();
    const response = await server.app.inject({ method: 'GET', url: '/no/such/thing' });
    expect(response.statusCode).toBe(404);
    expect(apiErrorSchema.strict().parse(response.json()).error.code).toBe('not_found');
    await server.app.close();
  });

  it('an unsupported content type is a 415 in the contract, and nothing is created', async () => {
    const server = await testServer();
    const response = await server.app.inject({
      method: 'POST',
      url: '/api/v1/experiments',
      headers: { ...(await authorised(server)), 'content-type': 'application/x-yaml' },
      payload: 'name: x',
    });
    expect(response.statusCode).toBe(415);
    expect(apiErrorSchema.strict().safeParse(response.json()).success).toBe(true);
    expect(server.context.experiments.list()).toEqual([]);
    await server.app.close();
  });

  it('bad JSON is a 400 naming the body as a whole', async () => {
    const server = await testServer();
    const response = await server.call('POST', '/api/v1/experiments', { rawBody: '{"name": ' });
    expect(response.statusCode).toBe(400);
    const { error } = apiErrorSchema.parse(response.json());
    expect(error.code).toBe('validation_failed');
    expect(error.details).toEqual({ issues: [{ path: '', message: expect.any(String) }] });
    await server.app.close();
  });

  it.each([
    ['at the top', '{"__proto__": {"admin": true}, "name": "x"}', '__proto__'],
    [
      'deep inside',
      JSON.stringify({ ...cpuSpec(), attack: { type: 'cpu' } }).replace(
        '"attack":{',
        '"attack":{"__proto__":{"polluted":1},',
      ),
      'attack.__proto__',
    ],
    ['as constructor.prototype', '{"constructor": {"prototype": {"x": 1}}}', 'constructor'],
  ])('a __proto__ key %s is refused with its path named', async (_where, rawBody, path) => {
    const server = await testServer();
    const response = await server.call('POST', '/api/v1/experiments', { rawBody });
    expect(response.statusCode).toBe(400);
    const { error } = apiErrorSchema.parse(response.json());
    expect(error.code).toBe('validation_failed');
    expect(error.details).toMatchObject({ issues: [{ path }] });
    expect(error.message).toContain(path);
    expect(server.context.experiments.list()).toEqual([]);
    await server.app.close();
  });

  it('a halt without a body is still accepted (the body is read as {})', async () => {
    const server = await testServer();
    const created = (await server.call('POST', '/api/v1/experiments', { body: cpuSpec() })).json();
    await server.call('POST', `/api/v1/experiments/${created.id}/start`, {
      body: { version: created.version },
    });
    const response = await server.call('POST', `/api/v1/experiments/${created.id}/halt`);
    expect(response.statusCode).toBe(200);
    expect(response.json().state).toBe('halted');
    await server.app.close();
  });
});
