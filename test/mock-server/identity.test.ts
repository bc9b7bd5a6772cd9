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
