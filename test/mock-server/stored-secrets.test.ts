import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hashSecret } from '../../mock-server/secrets';
import { testServer, type TestServer } from './test-server';

const dirs: string[] = [];
const servers: TestServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.app.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function onDisk(): Promise<{ server: TestServer; file: string; dir: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'faultline-secrets-'));
  dirs.push(dir);
  const file = path.join(dir, 'faultline.sqlite');
  const server = await testServer({ database: file, config: { dataDir: dir } });
  servers.push(server);
  return { server, file, dir };
}

/** Every byte the server wrote to its data folder (the database, its WAL). */
function everythingStored(dir: string): string {
  return readdirSync(dir)
    .map((name) => readFileSync(path.join(dir, name)).toString('latin1'))
    .join('\n');
}

const evaluate = (server: TestServer, key: string) =>
  server.app.inject({
    method: 'POST',
    url: '/ofrep/v1/evaluate/flags/new-checkout',
    headers: { 'x-api-key': key, 'content-type': 'application/json' },
    payload: JSON.stringify({ context: { targetingKey: 'u-1' } }),
  });

const rotate = (server: TestServer, environment: string) =>
  server.call('POST', `/api/v1/ofrep-keys/${environment}/rotate`, { as: 'ada-admin', body: {} });

const auditRows = async (server: TestServer, action: string) =>
  (
    (await server.call('GET', '/api/v1/audit', { as: 'ada-admin' })).json() as {
      entries: { action: string; actor: string; targetId: string; after: unknown }[];
    }
  ).entries.filter((entry) => entry.action === action);

describe('OFREP keys are stored as hashes and shown once', () => {
  it('shows a new key in the answer that makes it, never in the list, and keeps only its hash', async () => {
    const { server, dir } = await onDisk();
    expect((await server.call('GET', '/api/v1/ofrep-keys', { as: 'ada-admin' })).json()).toEqual({
      keys: [],
    });
    const made = await rotate(server, 'production');
    expect(made.statusCode).toBe(200);
    const { key, hint } = made.json() as { key: string; hint: string };
    expect(key).toMatch(/^ff_prod_[\w-]{32}$/);
    expect(key.startsWith(hint)).toBe(true);
    expect((await evaluate(server, key)).statusCode).toBe(200);

    const listed = await server.call('GET', '/api/v1/ofrep-keys', { as: 'ada-admin' });
    expect(listed.json()).toEqual({
      keys: [{ environment: 'production', hint, createdAt: server.clock.now() }],
    });
    expect(listed.body).not.toContain(key);
    server.context.db.pragma('wal_checkpoint(TRUNCATE)');
    const stored = everythingStored(dir);
    expect(stored).not.toContain(key);
    expect(stored).toContain(hashSecret(key));
  });

  it('writes an audit row for each rotation, naming the key by its first characters only', async () => {
    const { server } = await onDisk();
    const first = (await rotate(server, 'staging')).json() as { key: string; hint: string };
    const second = (await rotate(server, 'staging')).json() as { key: string; hint: string };
    expect((await evaluate(server, first.key)).statusCode).toBe(403);
    expect((await evaluate(server, second.key)).statusCode).toBe(200);
    const rows = await auditRows(server, 'ofrep-key.rotate');
    expect(rows).toHaveLength(2);
    expect(rows.map((row) => [row.actor, row.targetId])).toEqual([
      ['ada-admin', 'staging'],
      ['ada-admin', 'staging'],
    ]);
    const audit = JSON.stringify(rows);
    expect(audit).toContain(second.hint);
    expect(audit).not.toContain(first.key);
    expect(audit).not.toContain(second.key);
  });

  it('refuses rotation to anyone but an admin, and writes nothing', async () => {
    const { server } = await onDisk();
    const refused = await server.call('POST', '/api/v1/ofrep-keys/production/rotate', {
      as: 'sam-sre',
      body: {},
    });
    expect(refused.statusCode).toBe(403);
    expect(await auditRows(server, 'ofrep-key.rotate')).toEqual([]);
  });
});

describe('the status share token is stored as a hash and shown once', () => {
  it('shows the token when it is made, never when settings are read, and the link opens the page', async () => {
    const { server, dir } = await onDisk();
    const made = await server.call('PUT', '/api/v1/status/settings', {
      as: 'ada-admin',
      body: { version: 1, enabled: true, tokenRequired: true },
    });
    const { shareToken } = made.json() as { shareToken: string };
    expect(shareToken).toMatch(/^[\w-]{24}$/);
    const read = await server.call('GET', '/api/v1/status/settings', { as: 'ada-admin' });
    expect(read.json()).toEqual({ enabled: true, tokenRequired: true, version: 2 });
    // Saving again without asking for a new token keeps the link working, and shows no token.
    const again = await server.call('PUT', '/api/v1/status/settings', {
      as: 'ada-admin',
      body: { version: 2, enabled: true, tokenRequired: true },
    });
    expect(again.json()).toEqual({ enabled: true, tokenRequired: true, version: 3 });
    const open = (token: string) =>
      server.call('GET', `/api/v1/status?token=${token}`, { as: null });
    expect((await open(shareToken)).statusCode).toBe(200);
    expect((await open(`${shareToken}x`)).statusCode).toBe(403);
    server.context.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(everythingStored(dir)).not.toContain(shareToken);
  });

  it('answers a stale write with the settings, never the token’s hash', async () => {
    const { server } = await onDisk();
    await server.call('PUT', '/api/v1/status/settings', {
      as: 'ada-admin',
      body: { version: 1, enabled: true, tokenRequired: true },
    });
    const stale = await server.call('PUT', '/api/v1/status/settings', {
      as: 'ada-admin',
      body: { version: 1, enabled: false, tokenRequired: false },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.details.current).toEqual({
      enabled: true,
      tokenRequired: true,
      version: 2,
    });
  });
});

describe('secrets stored in clear by an older version', () => {
  it('are hashed at start-up, and the key and link people hold keep working', async () => {
    const { server, file, dir } = await onDisk();
    await server.app.close();
    servers.length = 0;
    // The database as the previous version left it: keys and the share token in clear.
    const plainKey = 'ff_prod_an-older-key-that-an-app-still-sends';
    const plainToken = 'an-older-share-token-on-a-wall-screen';
    const db = new Database(file);
    db.exec(`
      DROP TABLE ofrep_keys;
      CREATE TABLE ofrep_keys (environment TEXT PRIMARY KEY, key TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL);
      DELETE FROM migrations WHERE id IN ('103-ofrep-key-hashes', '522-status-share-token-hash');
      ALTER TABLE status_settings RENAME COLUMN share_token_hash TO share_token;`);
    db.prepare('INSERT INTO ofrep_keys (environment, key, created_at) VALUES (?, ?, ?)').run(
      'production',
      plainKey,
      1_700_000_000_000,
    );
    db.prepare('UPDATE status_settings SET share_token = ? WHERE id = 1').run(plainToken);
    db.close();

    const restarted = await testServer({ database: file, config: { dataDir: dir } });
    servers.push(restarted);
    expect((await evaluate(restarted, plainKey)).statusCode).toBe(200);
    expect(
      (await restarted.call('GET', `/api/v1/status?token=${plainToken}`, { as: null })).statusCode,
    ).toBe(200);
    expect(
      (await restarted.call('GET', '/api/v1/status?token=guess', { as: null })).statusCode,
    ).toBe(403);
    expect((await restarted.call('GET', '/api/v1/ofrep-keys', { as: 'ada-admin' })).json()).toEqual(
      { keys: [{ environment: 'production', hint: 'ff_prod_an-o', createdAt: 1_700_000_000_000 }] },
    );
    restarted.context.db.pragma('wal_checkpoint(TRUNCATE)');
    const stored = everythingStored(dir);
    expect(stored).not.toContain(plainKey);
    expect(stored).not.toContain(plainToken);
  });
});
