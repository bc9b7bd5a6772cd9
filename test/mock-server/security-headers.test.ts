import type { LightMyRequestResponse } from 'fastify';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from './test-server';

let server: TestServer;
let dashboardDir: string;

beforeAll(async () => {
  dashboardDir = mkdtempSync(path.join(tmpdir(), 'faultline-headers-'));
  writeFileSync(path.join(dashboardDir, 'index.html'), '<!doctype html><title>Faultline</title>');
  writeFileSync(path.join(dashboardDir, 'status.html'), '<!doctype html><title>status</title>');
  writeFileSync(path.join(dashboardDir, 'app.js'), 'console.log(1);');
  server = await testServer({ dashboardDir });
});

afterAll(async () => {
  await server?.app.close();
  rmSync(dashboardDir, { recursive: true, force: true });
});

function directives(response: LightMyRequestResponse): Map<string, string[]> {
  const header = String(response.headers['content-security-policy'] ?? '');
  return new Map(
    header
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...sources]) => [name as string, sources]),
  );
}

function expectSecurityHeaders(response: LightMyRequestResponse): void {
  const csp = directives(response);
  expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
  expect(csp.get('script-src')).toEqual(["'self'"]);
  expect(csp.get('default-src')).toEqual(["'self'"]);
  expect(String(response.headers['content-security-policy'])).not.toContain('unsafe');
  expect(response.headers['x-content-type-options']).toBe('nosniff');
  expect(response.headers['x-frame-options']).toBe('DENY');
  expect(response.headers['referrer-policy']).toBe('no-referrer');
  // Helmet's other defaults come along.
  expect(response.headers['cross-origin-opener-policy']).toBe('same-origin');
  expect(response.headers['origin-agent-cluster']).toBe('?1');
  expect(response.headers['x-dns-prefetch-control']).toBe('off');
  expect(response.headers['strict-transport-security']).toBeUndefined();
}

const ofrep = (key: string, body = '{"context":{"targetingKey":"u1"}}') =>
  server.app.inject({
    method: 'POST',
    url: '/ofrep/v1/evaluate/flags/new-checkout',
    headers: { 'x-api-key': key, 'content-type': 'application/json' },
    payload: body,
  });

describe('security headers on every answer', () => {
  it.each([
    ['an API read', () => server.call('GET', '/api/v1/experiments')],
    ['the health check', () => server.call('GET', '/healthz', { as: null })],
    ['the OpenAPI document', () => server.call('GET', '/api/v1/openapi.json', { as: null })],
    ['the Prometheus exposition', () => server.call('GET', '/metrics', { as: null })],
    ['the public status', () => server.call('GET', '/api/v1/status', { as: null })],
  ])('on %s', async (_what, request) => {
    const response = await request();
    expect(response.statusCode).toBe(200);
    expectSecurityHeaders(response);
  });

  it.each([
    ['index.html', '/', 'text/html'],
    ['a client-side route', '/experiments/abc', 'text/html'],
    ['a script', '/app.js', 'javascript'],
    ['the status page', '/status', 'text/html'],
  ])('on the dashboard’s files: %s', async (_what, url, type) => {
    const response = await server.app.inject({
      method: 'GET',
      url,
      headers: { accept: 'text/html' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain(type);
    expectSecurityHeaders(response);
  });

  it('on OFREP answers, good key or not, and on its oversized bodies', async () => {
    const rotated = await server.call('POST', '/api/v1/ofrep-keys/development/rotate', {
      as: 'ada-admin',
      body: {},
    });
    const { key } = rotated.json() as { key: string };
    const answered = await ofrep(key);
    expect(answered.statusCode).toBe(200);
    expectSecurityHeaders(answered);
    const unknown = await ofrep('ff_nope');
    expect(unknown.statusCode).toBe(403);
    expectSecurityHeaders(unknown);
    const tooLarge = await ofrep(key, JSON.stringify({ context: { x: 'y'.repeat(2_000_000) } }));
    expect(tooLarge.statusCode).toBe(413);
    expectSecurityHeaders(tooLarge);
  });

  it.each([
    ['401 without a token', () => server.call('GET', '/api/v1/experiments', { as: null }), 401],
    ['403 for a role', () => server.call('GET', '/api/v1/ofrep-keys', { as: 'vic-viewer' }), 403],
    ['404 for an unknown route', () => server.call('GET', '/api/v1/nothing-here'), 404],
    ['400 for a bad body', () => server.call('POST', '/api/v1/experiments', { body: {} }), 400],
    [
      '400 for bad JSON',
      () => server.call('POST', '/api/v1/experiments', { rawBody: '{"name":' }),
      400,
    ],
    [
      '400 for a malformed URL (before any hook runs)',
      () => server.call('GET', '/api/v1/experiments/%E0%A4%A'),
      400,
    ],
    [
      '415 for a body of another type',
      async () =>
        server.app.inject({
          method: 'POST',
          url: '/api/v1/experiments',
          headers: {
            authorization: `Bearer ${await server.tokenFor('sam-sre')}`,
            'content-type': 'application/x-yaml',
          },
          payload: 'name: x',
        }),
      415,
    ],
  ])('on errors: %s', async (_what, request, status) => {
    const response = await request();
    expect(response.statusCode).toBe(status);
    expectSecurityHeaders(response);
  });

  it('on a 429 with Retry-After', async () => {
    const limited = await testServer({
      config: {
        rateLimits: {
          sessions: { max: 1, windowMs: 60_000 },
          authFailures: { max: 1, windowMs: 60_000 },
          ofrepKeyFailures: { max: 1, windowMs: 60_000 },
        },
      },
    });
    const signIn = () =>
      limited.app.inject({ method: 'POST', url: '/api/v1/session', payload: { user: 'sam-sre' } });
    expect((await signIn()).statusCode).toBe(200);
    const refused = await signIn();
    await limited.app.close();
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
    expectSecurityHeaders(refused);
  });
});
