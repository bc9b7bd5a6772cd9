import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../mock-server/config';

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
      buildIfMissing: false,
    });
    expect(config.dataDir).toBe(path.resolve('./data'));
  });

  it('reads PORT, HOST, FAULTLINE_DATA, FAULTLINE_TICK_MS, FAULTLINE_SEED and --build-if-missing', () => {
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
      ['--build-if-missing'],
    );
    expect(config).toMatchObject({
      port: 4411,
      host: '0.0.0.0',
      dataDir: '/tmp/fl',
      tickMs: 250,
      seed: 7,
      buildIfMissing: true,
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
});
