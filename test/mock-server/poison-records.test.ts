import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FlagSpecInput } from '@/domain/flags';
import { cpuSpec, startExperiment, testServer, type TestServer } from './test-server';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function databaseFile(): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'faultline-poison-'));
  folders.push(folder);
  return path.join(folder, 'faultline.sqlite');
}

/** `{"a":{"a":…{"a":1}}}` as JSON text, `levels` objects deep (too deep for JSON.stringify). */
function nestedText(levels: number): string {
  return `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
}

/** `value` as JSON text, with the string "DEEP" replaced by `deep`. */
const withDeep = (value: unknown, deep: string) => JSON.stringify(value).replace('"DEEP"', deep);

/** `{"a":{"a":…{"a":1}}}`, `levels` objects deep. */
function nested(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = { a: 1 };
  for (let i = 1; i < levels; i++) value = { a: value };
  return value;
}

function objectFlag(key: string, on: unknown = { theme: 'dark' }): FlagSpecInput {
  const off = { state: 'off' as const, rules: [] };
  return {
    key,
    description: '',
    services: ['checkout'],
    variants: { on, off: { theme: 'light' } } as FlagSpecInput['variants'],
    defaultVariant: 'on',
    offVariant: 'off',
    fallbackValue: { theme: 'light' },
    environments: {
      development: off,
      testing: off,
      staging: { state: 'on', rules: [] },
      production: off,
    },
  };
}

/** Moves time on, 5 s at a time, until the experiment stops running (at most 300 s). */
function untilSettled(server: TestServer, id: string): void {
  for (let elapsed = 0; elapsed < 300 && server.experiment(id).state === 'running'; elapsed += 5)
    server.advance(5);
}

/** The first issue's path of a 400 answer. */
function firstIssuePath(body: { error: { details?: { issues?: { path: string }[] } } }): string {
  return body.error.details?.issues?.[0]?.path ?? '';
}

describe('stored JSON values have limits checked at the door', () => {
  it('refuses a flag whose variant is nested 5000 levels deep with a 400 naming the variant', async () => {
    const server = await testServer();
    const response = await server.call('POST', '/api/v1/flags', {
      as: 'ada-admin',
      rawBody: withDeep(objectFlag('deep', 'DEEP'), nestedText(5000)),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('validation_failed');
    expect(firstIssuePath(response.json())).toMatch(/^variants\.on(\.a)+$/);
    expect(response.json().error.message).toContain('at most 32 levels deep');
    expect((await server.call('GET', '/api/v1/flags/deep')).statusCode).toBe(404);
  });

  it.each([
    ['a variant nested past 32 levels', { variants: { on: nested(33), off: {} } }, 'variants.on'],
    [
      'a 900 000-character string variant',
      { variants: { on: 'x'.repeat(900_000), off: 'y' } },
      'variants.on',
    ],
    ['a fallback value nested past 32 levels', { fallbackValue: nested(40) }, 'fallbackValue'],
    [
      'an object variant of more than 64 KiB',
      { variants: { on: { list: Array.from({ length: 9000 }, () => 'abcdefgh') }, off: {} } },
      'variants.on',
    ],
  ])('refuses %s, naming the field', async (_, overrides, field) => {
    const server = await testServer();
    const response = await server.call('POST', '/api/v1/flags', {
      as: 'ada-admin',
      body: { ...objectFlag('limits'), ...overrides },
    });
    expect(response.statusCode).toBe(400);
    expect(firstIssuePath(response.json()).startsWith(field)).toBe(true);
  });

  it('accepts a variant exactly 32 levels deep', async () => {
    const server = await testServer();
    const response = await server.call('POST', '/api/v1/flags', {
      as: 'ada-admin',
      body: objectFlag('deep-enough', nested(32)),
    });
    expect(response.statusCode).toBe(201);
  });

  it('refuses a flagd import nested past 64 levels, naming the document', async () => {
    const server = await testServer();
    const flagsBefore = (await server.call('GET', '/api/v1/flags')).json();
    const document = {
      flags: {
        deep: {
          state: 'ENABLED',
          defaultVariant: 'on',
          variants: { on: nested(100), off: {} },
        },
      },
    };
    const response = await server.call('POST', '/api/v1/flags/import', {
      as: 'ada-admin',
      body: { environment: 'staging', document },
    });
    expect(response.statusCode).toBe(400);
    expect(firstIssuePath(response.json())).toMatch(/^document\.flags\.deep\.variants\.on/);
    expect((await server.call('GET', '/api/v1/flags')).json()).toEqual(flagsBefore);
  });

  it('refuses a halt all with a 900 000-character service name, and the database does not grow', async () => {
    const database = databaseFile();
    const server = await testServer({ database });
    server.context.db.pragma('wal_checkpoint(TRUNCATE)');
    const sizeBefore = statSync(database).size;
    const auditBefore = server.context.audit.count();
    const response = await server.call('POST', '/api/v1/halt-all', {
      as: 'vic-viewer',
      body: { service: 's'.repeat(900_000) },
    });
    expect(response.statusCode).toBe(400);
    expect(firstIssuePath(response.json())).toBe('service');
    expect(server.context.audit.count()).toBe(auditBefore);
    server.context.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(statSync(database).size).toBe(sizeBefore);
    await server.app.close();
  });
});

describe('a stored record that cannot be read', () => {
  it('is skipped and reported after a restart, while flags, status, export and the engine go on, and can be deleted', async () => {
    const database = databaseFile();
    const first = await testServer({ database });
    const good = await first.call('POST', '/api/v1/flags', {
      as: 'ada-admin',
      body: objectFlag('good'),
    });
    expect(good.statusCode).toBe(201);
    await first.app.close();

    // Rows an older version could write: a flag 5000 levels deep (with its audit and history
    // rows), and a flag whose body is not JSON at all.
    const goodFlag = good.json() as Record<string, unknown>;
    const deepFlag = { ...goodFlag, key: 'deep', variants: { on: 'DEEP', off: {} } };
    const deepBody = withDeep(deepFlag, nestedText(5000));
    const raw = new Database(database);
    raw.prepare('INSERT INTO flags (key, version, body) VALUES (?, ?, ?)').run('deep', 1, deepBody);
    raw
      .prepare('INSERT INTO flags (key, version, body) VALUES (?, ?, ?)')
      .run('broken', 3, '{"key":');
    raw
      .prepare('INSERT INTO flag_history (flag_key, body) VALUES (?, ?)')
      .run(
        'deep',
        withDeep(
          { version: 1, at: 1, by: 'ada-admin', change: 'created', summary: '', flag: deepFlag },
          nestedText(5000),
        ),
      );
    raw
      .prepare(
        `INSERT INTO audit (at, actor, role, action, target_type, target_id, before, after)
         VALUES (1, 'ada-admin', 'admin', 'flag.create', 'flag', 'deep', NULL, ?)`,
      )
      .run(deepBody);
    raw.close();

    const logged: string[] = [];
    const second = await testServer({
      database,
      logStream: { write: (line: string) => void logged.push(line) },
    });

    const flags = await second.call('GET', '/api/v1/flags');
    expect(flags.statusCode).toBe(200);
    const keys = flags.json().flags.map((f: { key: string }) => f.key);
    expect(keys).toContain('good');
    expect(keys).not.toContain('deep');
    expect(keys).not.toContain('broken');

    const status = await second.call('GET', '/api/v1/status', { as: null });
    expect(status.statusCode).toBe(200);

    const exported = await second.call('GET', '/api/v1/flags/export?environment=staging');
    expect(exported.statusCode).toBe(200);
    expect(Object.keys(exported.json().flags)).toContain('good');
    expect(Object.keys(exported.json().flags)).not.toContain('deep');

    const audit = await second.call('GET', '/api/v1/audit?limit=50');
    expect(audit.statusCode).toBe(200);
    const deepRow = audit.json().entries.find((e: { targetId: string }) => e.targetId === 'deep');
    expect(deepRow.after).toEqual({ unreadable: 'JSON is nested at most 64 levels deep' });

    const history = await second.call('GET', '/api/v1/flags/good/history');
    expect(history.statusCode).toBe(200);

    const skipped = await second.call('GET', '/api/v1/skipped-records', { as: 'vic-viewer' });
    expect(skipped.statusCode).toBe(200);
    expect(skipped.json().records).toEqual([
      expect.objectContaining({ kind: 'flag', id: 'broken', version: 3 }),
      expect.objectContaining({ kind: 'flag', id: 'deep', version: 1 }),
      expect.objectContaining({ kind: 'flag-history', id: expect.any(String) }),
    ]);
    expect(skipped.json().records[1].reason).toContain('variants.on');
    // Logged once each at start-up, one line per record.
    const skipLines = logged.filter((line) => line.includes('cannot be read'));
    expect(skipLines).toHaveLength(3);
    expect(skipLines.some((line) => line.includes('"id":"deep"'))).toBe(true);

    // Reading the poisoned flag says what is wrong instead of failing.
    const read = await second.call('GET', '/api/v1/flags/deep');
    expect(read.statusCode).toBe(409);
    expect(read.json().error.code).toBe('unreadable_record');

    // The engine still ticks and judges abort conditions.
    const started = await startExperiment(second, cpuSpec());
    untilSettled(second, started.id);
    expect(second.experiment(started.id).state).toBe('aborted');

    // The poisoned flags can be deleted through the API (with the version the report gave).
    const stale = await second.call('DELETE', '/api/v1/flags/deep?version=7', { as: 'ada-admin' });
    expect(stale.statusCode).toBe(409);
    const deleted = await second.call('DELETE', '/api/v1/flags/deep?version=1', {
      as: 'ada-admin',
    });
    expect(deleted.statusCode).toBe(204);
    expect(
      (await second.call('DELETE', '/api/v1/flags/broken?version=3', { as: 'ada-admin' }))
        .statusCode,
    ).toBe(204);
    expect((await second.call('GET', '/api/v1/flags/deep')).statusCode).toBe(404);
    const after = (await second.call('GET', '/api/v1/skipped-records')).json().records;
    expect(after.map((r: { kind: string }) => r.kind)).toEqual(['flag-history']);
    const [deleteRow] = second.context.audit
      .list(10)
      .filter((row) => row.action === 'flag.delete' && row.targetId === 'deep');
    expect(deleteRow?.before).toEqual({ key: 'deep', version: 1, unreadable: true });
    await second.app.close();
  }, 60_000);

  it('does not stop the engine when a running experiment cannot be read', async () => {
    const database = databaseFile();
    const first = await testServer({ database });
    // A running experiment's row as an older version might have left it: not JSON.
    first.context.db
      .prepare(
        `INSERT INTO experiments (id, lineage_id, environment, state, version, body)
         VALUES ('exp-unreadable', 'lin-unreadable', 'staging', 'running', 2, '{')`,
      )
      .run();
    const other = await startExperiment(first, cpuSpec());
    untilSettled(first, other.id);
    expect(first.experiment(other.id).state).toBe('aborted');
    const skipped = (await first.call('GET', '/api/v1/skipped-records')).json().records;
    expect(skipped).toEqual([
      expect.objectContaining({ kind: 'experiment', id: 'exp-unreadable', version: 2 }),
    ]);
    expect((await first.call('GET', '/api/v1/experiments')).statusCode).toBe(200);
    expect((await first.call('POST', '/api/v1/halt-all', { body: {} })).statusCode).toBe(200);
    await first.app.close();
  }, 60_000);
});

describe('rollout, agent-token and timeline rows read through the one typed reader', () => {
  it('skips and reports a rollout, an agent token and a timeline row that cannot be read, and lists the rest', async () => {
    const database = databaseFile();
    const first = await testServer({ database });
    const token = await first.call('POST', '/api/v1/agent-tokens', {
      as: 'ada-admin',
      body: { name: 'good' },
    });
    expect(token.statusCode).toBe(201);
    const now = first.clock.now();
    const day = await first.call('POST', '/api/v1/gamedays', {
      body: { title: 'Day', startsAt: now, endsAt: now + 3_600_000 },
    });
    expect(day.statusCode).toBe(201);
    const gamedayId = (day.json() as { id: string }).id;
    await first.call('POST', `/api/v1/gamedays/${gamedayId}/notes`, { body: { text: 'kept' } });
    await first.app.close();

    const raw = new Database(database);
    raw
      .prepare(
        "INSERT INTO rollouts (id, state, version, body) VALUES ('r-bad', 'progressing', 1, ?)",
      )
      .run('{"id":');
    raw
      .prepare(
        "INSERT INTO agent_tokens (id, name, hash, created_at, created_by) VALUES ('t-bad', 'bad', 'h', 'yesterday', 'ada-admin')",
      )
      .run();
    raw
      .prepare(
        "INSERT INTO gameday_timeline (gameday_id, at, kind, text) VALUES (?, 1, 'no-such-kind', 'odd')",
      )
      .run(gamedayId);
    raw.close();

    const second = await testServer({ database });
    const rollouts = await second.call('GET', '/api/v1/rollouts');
    expect(rollouts.statusCode).toBe(200);
    expect(rollouts.json().rollouts).toEqual([]);
    expect((await second.call('GET', '/api/v1/rollouts/r-bad')).statusCode).toBe(404);

    const tokens = await second.call('GET', '/api/v1/agent-tokens', { as: 'ada-admin' });
    expect(tokens.statusCode).toBe(200);
    expect(tokens.json().tokens.map((t: { name: string }) => t.name)).toEqual(['good']);

    const timeline = await second.call('GET', `/api/v1/gamedays/${gamedayId}/timeline`);
    expect(timeline.statusCode).toBe(200);
    const texts = timeline.json().entries.map((e: { text: string }) => e.text);
    expect(texts).toContain('kept');
    expect(texts).not.toContain('odd');

    const skipped = await second.call('GET', '/api/v1/skipped-records', { as: 'ada-admin' });
    const kinds = skipped
      .json()
      .records.map((r: { kind: string; id: string }) => `${r.kind} ${r.id}`);
    expect(kinds).toEqual(expect.arrayContaining(['rollout r-bad', 'agent-token t-bad']));
    expect(kinds.some((k: string) => k.startsWith('gameday-timeline '))).toBe(true);
    await second.app.close();
  });

  it('skips an audit row that cannot be read, and lists the rest', async () => {
    const database = databaseFile();
    const first = await testServer({ database });
    const created = await first.call('POST', '/api/v1/experiments', { body: cpuSpec() });
    expect(created.statusCode).toBe(201);
    await first.app.close();

    const raw = new Database(database);
    const bad = raw
      .prepare(
        'INSERT INTO audit (at, actor, role, action, target_type, target_id) ' +
          "VALUES ('yesterday', 'sam-sre', 'sre', 'experiment.create', 'experiment', 'e-bad')",
      )
      .run().lastInsertRowid;
    raw.close();

    const second = await testServer({ database });
    const audit = await second.call('GET', '/api/v1/audit', { as: 'ada-admin' });
    expect(audit.statusCode).toBe(200);
    const targets = audit.json().entries.map((e: { targetId: string }) => e.targetId);
    expect(targets).toContain(created.json().id);
    expect(targets).not.toContain('e-bad');
    // Older entries are still reached past it, by page.
    const page = await second.call('GET', `/api/v1/audit?before=${String(Number(bad) + 1)}`, {
      as: 'ada-admin',
    });
    expect(page.statusCode).toBe(200);
    expect(page.json().entries.map((e: { targetId: string }) => e.targetId)).toContain(
      created.json().id,
    );
    await second.app.close();
  });
});

describe('flag-set, OFREP key and status rows read through the one typed reader', () => {
  it('skips and reports flag-set metadata, an OFREP key and a status day that cannot be read, and answers with the rest', async () => {
    const database = databaseFile();
    const first = await testServer({ database });
    const stagingKey = await first.ofrepKey('staging');
    await first.ofrepKey('production');
    await first.app.close();

    const raw = new Database(database);
    raw
      .prepare("INSERT INTO flag_set_metadata (environment, body) VALUES ('staging', ?)")
      .run('{"owner":');
    raw
      .prepare(
        "INSERT INTO ofrep_keys (environment, hash, hint, created_at) VALUES ('testing', 'h', 'ff_x', 'yesterday')",
      )
      .run();
    raw
      .prepare(
        "INSERT INTO status_daily (service, environment, day, state) VALUES ('checkout', 'production', '2025-01-05', 'melting') " +
          "ON CONFLICT (service, environment, day) DO UPDATE SET state = 'melting'",
      )
      .run();
    raw.close();

    const second = await testServer({ database });
    const bulk = await second.app.inject({
      method: 'POST',
      url: '/ofrep/v1/evaluate/flags',
      headers: { 'content-type': 'application/json', 'x-api-key': stagingKey },
      payload: '{"context": {"targetingKey": "u-1"}}',
    });
    expect(bulk.statusCode).toBe(200);
    expect(bulk.json().metadata).toEqual({ environment: 'staging' });

    const keys = await second.call('GET', '/api/v1/ofrep-keys', { as: 'ada-admin' });
    expect(keys.statusCode).toBe(200);
    expect(keys.json().keys.map((k: { environment: string }) => k.environment)).toEqual([
      'staging',
      'production',
    ]);

    const status = await second.call('GET', '/api/v1/status', { as: null });
    expect(status.statusCode).toBe(200);

    const skipped = await second.call('GET', '/api/v1/skipped-records', { as: 'ada-admin' });
    const kinds = skipped
      .json()
      .records.map((r: { kind: string; id: string }) => `${r.kind} ${r.id}`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'flag-set-metadata staging',
        'ofrep-key testing',
        'status-day checkout|production|2025-01-05',
      ]),
    );
    await second.app.close();
  });

  it('reads status settings that cannot be read as a page switched off, and a save repairs them', async () => {
    const database = databaseFile();
    const first = await testServer({ database });
    await first.app.close();
    const raw = new Database(database);
    raw.prepare('UPDATE status_settings SET enabled = 7 WHERE id = 1').run();
    raw.close();

    const second = await testServer({ database });
    const settings = await second.call('GET', '/api/v1/status/settings', { as: 'ada-admin' });
    expect(settings.statusCode).toBe(200);
    expect(settings.json()).toMatchObject({ enabled: false, version: 0 });
    const kinds = async () =>
      (await second.call('GET', '/api/v1/skipped-records', { as: 'ada-admin' }))
        .json()
        .records.map((r: { kind: string }) => r.kind);
    expect(await kinds()).toContain('status-settings');

    const saved = await second.call('PUT', '/api/v1/status/settings', {
      as: 'ada-admin',
      body: { version: 0, enabled: true, tokenRequired: false },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ enabled: true, version: 1 });
    expect(await kinds()).not.toContain('status-settings');
    await second.app.close();
  });
});
