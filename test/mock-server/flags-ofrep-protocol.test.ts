import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiErrorSchema } from '@/domain';
import { testServer, type TestServer } from './test-server';

let server: TestServer;
let key: string;

beforeAll(async () => {
  server = await testServer();
  key = await server.ofrepKey('production');
});
afterAll(() => server.app.close());

function ofrep(
  path: string,
  options: { payload?: string; headers?: Record<string, string>; method?: 'POST' | 'OPTIONS' } = {},
) {
  return server.app.inject({
    method: options.method ?? 'POST',
    url: `/ofrep/v1/evaluate/flags${path}`,
    headers: { 'content-type': 'application/json', 'x-api-key': key, ...options.headers },
    ...(options.payload === undefined ? {} : { payload: options.payload }),
  });
}

describe('OFREP protocol errors', () => {
  it.each([
    ['a body that is not JSON', '{"context": {', 'PARSE_ERROR'],
    ['a body that is not an object', '[1,2]', 'PARSE_ERROR'],
    ['a context that is not an object', '{"context": "ana@faultline.dev"}', 'INVALID_CONTEXT'],
    [
      'a targeting key that is not a string',
      '{"context": {"targetingKey": 42}}',
      'INVALID_CONTEXT',
    ],
  ])('answers %s with 400 %s', async (_name, payload, errorCode) => {
    const single = await ofrep('/new-checkout', { payload });
    expect(single.statusCode).toBe(400);
    expect(single.json()).toMatchObject({ key: 'new-checkout', errorCode });
    const bulk = await ofrep('', { payload });
    expect(bulk.statusCode).toBe(400);
    expect(bulk.json()).toMatchObject({ errorCode });
  });

  it.each(['', '/new-checkout'])(
    'answers an oversized body at %s with 413 in the error contract',
    async (path) => {
      const payload = JSON.stringify({
        context: { targetingKey: 'u', pad: 'x'.repeat(1_100_000) },
      });
      const response = await ofrep(path, { payload });
      expect(response.statusCode).toBe(413);
      const body = apiErrorSchema.strict().parse(response.json());
      expect(body.error.code).toBe('body_too_large');
      expect(body.error.message).toBe(
        'the request body is larger than the 1048576 bytes this server reads',
      );
      // Still readable by a browser app on another origin.
      expect(response.headers['access-control-allow-origin']).toBe('*');
    },
  );

  it.each([
    ['{"context": {"targetingKey": 42}}', 'context.targetingKey: must be a string'],
    ['{"context": "ana@faultline.dev"}', 'context: expected a JSON object'],
    [
      JSON.stringify({ context: { deep: JSON.parse('['.repeat(40) + ']'.repeat(40)) as unknown } }),
      /^context\.deep(\.0)+: /,
    ],
  ])('names the field of a malformed context: %s', async (payload, details) => {
    const response = await ofrep('/new-checkout', { payload });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ errorCode: 'INVALID_CONTEXT' });
    expect(response.json().errorDetails).toMatch(details);
  });

  it('answers an unknown flag with 404 FLAG_NOT_FOUND', async () => {
    const response = await ofrep('/no-such-flag', {
      payload: '{"context": {"targetingKey": "u"}}',
    });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      key: 'no-such-flag',
      errorCode: 'FLAG_NOT_FOUND',
      errorDetails: 'flag "no-such-flag" not found',
    });
  });

  it('answers a rollout without a targeting key with the default, as flagd does', async () => {
    const response = await ofrep('/new-checkout', { payload: '{"context": {"country": "US"}}' });
    expect(response.statusCode).toBe(200);
    // flagd says DEFAULT, which OFREP does not list: the rules ran, so TARGETING_MATCH.
    expect(response.json()).toMatchObject({
      key: 'new-checkout',
      reason: 'TARGETING_MATCH',
      variant: 'off',
    });
  });

  it.each([
    ['no body', ''],
    ['a body without a context', '{}'],
    ['a body with other fields only', '{"targetingKey": "u-1"}'],
  ])('refuses a request with %s: 400 INVALID_CONTEXT, as OFREP says', async (_name, payload) => {
    const single = await ofrep('/new-checkout', { payload });
    expect(single.statusCode).toBe(400);
    expect(single.json()).toEqual({
      key: 'new-checkout',
      errorCode: 'INVALID_CONTEXT',
      errorDetails: 'the request has no context: send { "context": { … } }',
    });
    const bulk = await ofrep('', { payload });
    expect(bulk.statusCode).toBe(400);
    expect(bulk.json()).toEqual({
      errorCode: 'INVALID_CONTEXT',
      errorDetails: 'the request has no context: send { "context": { … } }',
    });
  });

  it('evaluates an empty context', async () => {
    const response = await ofrep('/new-checkout', { payload: '{"context": {}}' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ reason: 'TARGETING_MATCH', variant: 'off' });
  });

  it('needs an API key (401) and a known one (403)', async () => {
    const none = await server.app.inject({
      method: 'POST',
      url: '/ofrep/v1/evaluate/flags/new-checkout',
      payload: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(none.statusCode).toBe(401);
    expect(
      (await ofrep('/new-checkout', { payload: '{}', headers: { 'x-api-key': 'guess' } }))
        .statusCode,
    ).toBe(403);
  });
});

describe('OFREP bulk evaluation', () => {
  const context = '{"context": {"targetingKey": "u-7", "email": "ana@faultline.dev"}}';

  it('evaluates every flag of the environment, with an ETag', async () => {
    const response = await ofrep('', { payload: context });
    expect(response.statusCode).toBe(200);
    expect(response.headers.etag).toMatch(/^".+"$/);
    expect(response.json().flags).toContainEqual({
      key: 'new-checkout',
      value: true,
      variant: 'on',
      reason: 'TARGETING_MATCH',
      metadata: { version: 1 },
    });
  });

  it('answers 304 to a matching If-None-Match, and 200 again once a flag changes', async () => {
    const first = await ofrep('', { payload: context });
    const etag = first.headers.etag as string;
    const unchanged = await ofrep('', { payload: context, headers: { 'if-none-match': etag } });
    expect(unchanged.statusCode).toBe(304);
    expect(unchanged.body).toBe('');
    await server.call('POST', '/api/v1/flags/new-checkout/kill', {
      body: { environment: 'production' },
    });
    const changed = await ofrep('', { payload: context, headers: { 'if-none-match': etag } });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(changed.json().flags).toContainEqual({
      key: 'new-checkout',
      value: false,
      variant: 'off',
      reason: 'DISABLED',
      metadata: { version: 2 },
    });
    await server.call('POST', '/api/v1/flags/new-checkout/enable', {
      body: { environment: 'production' },
    });
  });

  it('lists a rollout flag asked without a targeting key with its default, as flagd does', async () => {
    const response = await ofrep('', { payload: '{"context": {"country": "US"}}' });
    expect(response.statusCode).toBe(200);
    expect(response.json().flags).toContainEqual(
      expect.objectContaining({ key: 'new-checkout', reason: 'TARGETING_MATCH', variant: 'off' }),
    );
  });
});

describe('OFREP for browser apps', () => {
  it('answers a CORS preflight', async () => {
    const response = await ofrep('/new-checkout', {
      method: 'OPTIONS',
      headers: {
        origin: 'http://127.0.0.1:5173',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-api-key',
      },
    });
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe('*');
    expect(String(response.headers['access-control-allow-headers'])).toMatch(/X-API-Key/);
    expect(String(response.headers['access-control-allow-headers'])).toMatch(/If-None-Match/);
  });

  it('lets the browser read the ETag of a bulk answer', async () => {
    const response = await ofrep('', {
      payload: '{"context": {"targetingKey": "u"}}',
      headers: { origin: 'http://127.0.0.1:5173' },
    });
    expect(response.headers['access-control-allow-origin']).toBe('*');
    expect(response.headers['access-control-expose-headers']).toBe('ETag');
  });
});
