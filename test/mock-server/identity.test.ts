import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../mock-server/config';
import { testServer } from './test-server';

describe('signing in', () => {
  it('lists one demo user per role and hands out a token that /me recognises', async () => {
    const server = await testServer();
    const auth = (await server.call('GET', '/api/v1/auth', { as: null })).json();
    expect(auth.demo).toBe(true);
    expect(auth.users.map((u: { role: string }) => u.role).sort()).toEqual([
      'admin',
      'developer',
      'sre',
      'viewer',
    ]);
    const session = (
      await server.call('POST', '/api/v1/session', { as: null, body: { user: 'dev-dana' } })
    ).json();
    const me = await server.app.inject({
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${session.token}` },
    });
    expect(me.json()).toEqual({
      user: { name: 'dev-dana', displayName: 'Dana (developer)', role: 'developer' },
    });
    const wrong = await server.app.inject({
      url: '/api/v1/me',
      headers: { authorization: 'Bearer not-a-token' },
    });
    expect(wrong.statusCode).toBe(401);
  });

  it('with configured users: no session endpoint, no demo users, and the configured tokens work', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'faultline-users-'));
    const file = path.join(folder, 'users.json');
    writeFileSync(
      file,
      JSON.stringify([
        { name: 'olga', displayName: 'Olga', role: 'admin', token: 'olga-secret-token-123' },
      ]),
    );
    const config = parseConfig({ FAULTLINE_USERS: file }, []);
    const server = await testServer({ config });
    expect((await server.call('GET', '/api/v1/auth', { as: null })).json()).toEqual({
      demo: false,
      users: [],
    });
    const session = await server.call('POST', '/api/v1/session', {
      as: null,
      body: { user: 'ada-admin' },
    });
    expect(session.statusCode).toBe(404);
    const me = await server.app.inject({
      url: '/api/v1/me',
      headers: { authorization: 'Bearer olga-secret-token-123' },
    });
    expect(me.json()).toEqual({ user: { name: 'olga', displayName: 'Olga', role: 'admin' } });
  });

  it('answers GET /healthz without a token', async () => {
    const server = await testServer();
    const response = await server.call('GET', '/healthz', { as: null });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });
});

describe('demo sessions', () => {
  async function signIn(server: Awaited<ReturnType<typeof testServer>>, user: string) {
    const response = await server.call('POST', '/api/v1/session', { as: null, body: { user } });
    return (response.json() as { token: string }).token;
  }
  const me = (server: Awaited<ReturnType<typeof testServer>>, token: string) =>
    server.app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });

  it('revokes the token on sign-out: the same token then gets 401, other sessions keep working', async () => {
    const server = await testServer();
    const token = await signIn(server, 'sam-sre');
    const other = await signIn(server, 'sam-sre');
    const out = await server.app.inject({
      method: 'DELETE',
      url: '/api/v1/session',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(out.statusCode).toBe(204);
    expect((await me(server, token)).statusCode).toBe(401);
    expect((await me(server, other)).statusCode).toBe(200);
    const again = await server.app.inject({
      method: 'DELETE',
      url: '/api/v1/session',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(again.statusCode).toBe(401);
    await server.app.close();
  });

  it('expires a demo session after its time to live, and a fresh sign-in works again', async () => {
    const server = await testServer({ ticking: false, config: { sessionTtlMs: 60 * 60_000 } });
    const token = await signIn(server, 'dev-dana');
    server.clock.advance(59 * 60_000);
    expect((await me(server, token)).statusCode).toBe(200);
    server.clock.advance(60_000);
    expect((await me(server, token)).statusCode).toBe(401);
    expect((await me(server, await signIn(server, 'dev-dana'))).statusCode).toBe(200);
    await server.app.close();
  });

  it('reads the time to live from FAULTLINE_SESSION_TTL_MINUTES, twelve hours by default', () => {
    expect(parseConfig({}, []).sessionTtlMs).toBe(12 * 3_600_000);
    expect(parseConfig({ FAULTLINE_SESSION_TTL_MINUTES: '30' }, []).sessionTtlMs).toBe(1_800_000);
    expect(() => parseConfig({ FAULTLINE_SESSION_TTL_MINUTES: '0' }, [])).toThrow(
      /FAULTLINE_SESSION_TTL_MINUTES/,
    );
  });
});
