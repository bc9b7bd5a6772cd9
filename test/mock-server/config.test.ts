import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, isLoopback, parseConfig } from '../../mock-server/config';

function usersFile(content: unknown): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'faultline-config-')), 'users.json');
  writeFileSync(file, JSON.stringify(content));
  return file;
}

describe('server configuration', () => {
  it('defaults to port 4400 on loopback, ./data, a 1 s tick and demo mode', () => {
    const config = parseConfig({}, []);
    expect(config).toMatchObject({
      port: 4400,
      host: '127.0.0.1',
      tickMs: 1000,
      users: null,
      buildIfStale: false,
    });
    expect(config.dataDir).toBe(path.resolve('./data'));
  });

  it('reads PORT, HOST, FAULTLINE_DATA, FAULTLINE_TICK_MS, FAULTLINE_SEED and --build-if-stale', () => {
    const users = usersFile([{ name: 'ops', role: 'sre', token: 'a-long-enough-token-1' }]);
    const config = parseConfig(
      {
        PORT: '4411',
        HOST: '0.0.0.0',
        FAULTLINE_DATA: '/tmp/fl',
        FAULTLINE_TICK_MS: '250',
        FAULTLINE_SEED: '7',
        FAULTLINE_USERS: users,
      },
      ['--build-if-stale'],
    );
    expect(config).toMatchObject({
      port: 4411,
      host: '0.0.0.0',
      dataDir: '/tmp/fl',
      tickMs: 250,
      seed: 7,
      buildIfStale: true,
    });
    expect(config.users).toEqual([{ name: 'ops', role: 'sre', token: 'a-long-enough-token-1' }]);
  });

  it('binds to loopback in demo mode whatever HOST says, and says so', () => {
    const config = parseConfig({ HOST: '0.0.0.0' }, []);
    expect(config.host).toBe('127.0.0.1');
    expect(config.notices.join(' ')).toContain('demo mode');
  });

  it.each([
    [{ FAULTLINE_TICK_MS: '50' }, 'FAULTLINE_TICK_MS'],
    [{ FAULTLINE_TICK_MS: '20000' }, 'FAULTLINE_TICK_MS'],
    [{ PORT: 'http' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
  ])('rejects %o naming the variable', (env, name) => {
    expect(() => parseConfig(env, [])).toThrow(ConfigError);
    expect(() => parseConfig(env, [])).toThrow(name);
  });

  it('rejects a users file with a bad role or a short token', () => {
    expect(() =>
      parseConfig(
        {
          FAULTLINE_USERS: usersFile([{ name: 'x', role: 'root', token: 'a-long-enough-token-1' }]),
        },
        [],
      ),
    ).toThrow(/FAULTLINE_USERS: 0\.role/);
    expect(() =>
      parseConfig(
        { FAULTLINE_USERS: usersFile({ users: [{ name: 'x', role: 'sre', token: 'short' }] }) },
        [],
      ),
    ).toThrow(/token/);
    expect(() => parseConfig({ FAULTLINE_USERS: '/nonexistent/users.json' }, [])).toThrow(
      /cannot read/,
    );
  });

  it('refuses a users file that gives one name twice, naming the name', () => {
    const file = usersFile([
      { name: 'ops', role: 'sre', token: 'a-long-enough-token-1' },
      { name: 'dev', role: 'developer', token: 'a-long-enough-token-2' },
      { name: 'ops', role: 'viewer', token: 'a-long-enough-token-3' },
    ]);
    expect(() => parseConfig({ FAULTLINE_USERS: file }, [])).toThrow(ConfigError);
    expect(() => parseConfig({ FAULTLINE_USERS: file }, [])).toThrow(
      /FAULTLINE_USERS: 2\.name: the name "ops" is already given to user 0/,
    );
  });

  it('refuses a users file that gives one token to two users, naming them and not the token', () => {
    const file = usersFile({
      users: [
        { name: 'ops', role: 'sre', token: 'the-same-long-token' },
        { name: 'dev', role: 'developer', token: 'the-same-long-token' },
      ],
    });
    let message = '';
    try {
      parseConfig({ FAULTLINE_USERS: file }, []);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(
      /FAULTLINE_USERS: users\.1\.token: "dev" has the same token as user 0 \("ops"\)/,
    );
    expect(message).not.toContain('the-same-long-token');
  });

  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['::1', true],
    ['0:0:0:0:0:0:0:1', true],
    ['::ffff:127.0.0.1', true],
    ['localhost', true],
    ['127.example.com', false],
    ['1270::1', false],
    ['128.0.0.1', false],
    ['0.0.0.0', false],
    ['::', false],
    ['::ffff:10.0.0.1', false],
  ])('treats %s as loopback: %s', (host, loopback) => {
    expect(isLoopback(host)).toBe(loopback);
    const config = parseConfig({ HOST: host }, []);
    expect(config.host).toBe(loopback ? host : '127.0.0.1');
    expect(config.notices.some((n) => n.includes('demo mode'))).toBe(!loopback);
  });

  it('logs at the error level unless FAULTLINE_LOG_LEVEL says otherwise', () => {
    expect(parseConfig({}, []).logLevel).toBe('error');
    expect(parseConfig({ FAULTLINE_LOG_LEVEL: 'info' }, []).logLevel).toBe('info');
    expect(() => parseConfig({ FAULTLINE_LOG_LEVEL: 'loud' }, [])).toThrow(/FAULTLINE_LOG_LEVEL/);
  });
});
