import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StreamEvent } from '@/domain';
import type { Flag, FlagHistoryEntry } from '@/domain/flags';
import { testServer, type TestServer } from './test-server';
import { staffFlag } from './flags-fixtures';

let server: TestServer;
let events: StreamEvent[];

beforeEach(async () => {
  server = await testServer();
  events = [];
  server.context.bus.subscribe((record) => events.push(record.event));
});
afterEach(() => server.app.close());

async function create(key = 'dark-mode'): Promise<Flag> {
  const response = await server.call('POST', '/api/v1/flags', {
    as: 'dev-dana',
    body: staffFlag(key),
  });
  expect(response.statusCode).toBe(201);
  return response.json();
}

describe('flag CRUD', () => {
  it('starts with the sample new-checkout flag and its segments', async () => {
    const flags = (await server.call('GET', '/api/v1/flags', { as: 'vic-viewer' })).json()
      .flags as Flag[];
    expect(flags.map((f) => f.key)).toContain('new-checkout');
    const segments = (await server.call('GET', '/api/v1/segments')).json().segments as {
      key: string;
    }[];
    expect(segments.map((s) => s.key).sort()).toEqual([
      'beta-company',
      'colombia',
      'internal-employees',
    ]);
  });

  it('creates a flag at version 1 and publishes the change', async () => {
    const flag = await create();
    expect(flag).toMatchObject({ key: 'dark-mode', version: 1, updatedBy: 'dev-dana' });
    expect((await server.call('GET', '/api/v1/flags/dark-mode')).json()).toEqual(flag);
    expect(events).toContainEqual({
      type: 'resource',
      resource: 'flags',
      id: 'dark-mode',
      change: 'created',
    });
  });

  it('refuses a second flag with the same key', async () => {
    await create();
    const again = await server.call('POST', '/api/v1/flags', { body: staffFlag() });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('already_exists');
  });

  it.each([
    ['mixed variant types', { variants: { on: true, off: 'no' } }, 'variants.off'],
    ['an unknown default variant', { defaultVariant: 'maybe' }, 'defaultVariant'],
    [
      'a broken rule',
      {
        environments: {
          ...staffFlag().environments,
          staging: {
            state: 'on',
            rules: [
              {
                conditions: [
                  { operator: 'semver', attribute: 'appVersion', comparator: '>', value: 'soon' },
                ],
                serve: { kind: 'variant', variant: 'on' },
              },
            ],
          },
        },
      },
      'environments.staging.rules.0.conditions.0.value',
    ],
    [
      'an unknown segment',
      {
        environments: {
          ...staffFlag().environments,
          staging: {
            state: 'on',
            rules: [
              {
                conditions: [{ operator: 'segment', segment: 'martians' }],
                serve: { kind: 'variant', variant: 'on' },
              },
            ],
          },
        },
      },
      'environments.staging.rules.0.conditions.0.segment',
    ],
  ])('refuses %s with 400 naming the field, and stores nothing', async (_name, overrides, path) => {
    const response = await server.call('POST', '/api/v1/flags', {
      body: { ...staffFlag(), ...overrides },
    });
    expect(response.statusCode).toBe(400);
    const error = response.json().error;
    expect(error.code).toBe('validation_failed');
    expect(error.details.issues.map((i: { path: string }) => i.path)).toContain(path);
    expect(error.message).toContain(path);
    expect((await server.call('GET', '/api/v1/flags/dark-mode')).statusCode).toBe(404);
  });

  it('updates with the current version and refuses a stale one with 409 and the stored flag', async () => {
    const flag = await create();
    const edited = { ...staffFlag(), description: 'Dark theme, now default for staff' };
    const first = await server.call('PUT', '/api/v1/flags/dark-mode', {
      body: { version: 1, spec: edited },
    });
    expect(first.statusCode).toBe(200);
    expect(first.json().version).toBe(2);
    const stale = await server.call('PUT', '/api/v1/flags/dark-mode', {
      body: { version: flag.version, spec: staffFlag() },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({
      code: 'version_conflict',
      details: { current: { version: 2, description: 'Dark theme, now default for staff' } },
    });
  });

  it('refuses to change a key in an update', async () => {
    await create();
    const response = await server.call('PUT', '/api/v1/flags/dark-mode', {
      body: { version: 1, spec: staffFlag('light-mode') },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details.issues[0].path).toBe('spec.key');
  });

  it('lets viewers read and kill but not edit', async () => {
    await create();
    expect(
      (
        await server.call('PUT', '/api/v1/flags/dark-mode', {
          as: 'vic-viewer',
          body: { version: 1, spec: staffFlag() },
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await server.call('POST', '/api/v1/flags/dark-mode/enable', {
          as: 'vic-viewer',
          body: { environment: 'staging' },
        })
      ).statusCode,
    ).toBe(403);
    const killed = await server.call('POST', '/api/v1/flags/dark-mode/kill', {
      as: 'vic-viewer',
      body: { environment: 'production' },
    });
    expect(killed.statusCode).toBe(200);
    expect(killed.json().environments.production.state).toBe('off');
    expect(killed.json().environments.production.rules).toHaveLength(1);
  });

  it('kills idempotently: a second kill changes nothing', async () => {
    await create();
    const first = (
      await server.call('POST', '/api/v1/flags/dark-mode/kill', {
        body: { environment: 'production' },
      })
    ).json();
    const second = (
      await server.call('POST', '/api/v1/flags/dark-mode/kill', {
        body: { environment: 'production' },
      })
    ).json();
    expect(second.version).toBe(first.version);
    expect(events.filter((e) => e.type === 'resource' && e.change === 'killed')).toHaveLength(1);
  });

  it('refuses a kill naming no environment', async () => {
    await create();
    const response = await server.call('POST', '/api/v1/flags/dark-mode/kill', {
      body: { environment: 'moon' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details.issues[0].path).toBe('environment');
  });

  it('keeps a change history, newest first, with who, what and the flag as it was after', async () => {
    await create();
    await server.call('PUT', '/api/v1/flags/dark-mode', {
      body: { version: 1, spec: { ...staffFlag(), defaultVariant: 'on' } },
    });
    await server.call('POST', '/api/v1/flags/dark-mode/kill', {
      as: 'vic-viewer',
      body: { environment: 'production' },
    });
    const entries = (await server.call('GET', '/api/v1/flags/dark-mode/history')).json()
      .entries as FlagHistoryEntry[];
    expect(entries.map((e) => [e.version, e.change, e.by, e.summary])).toEqual([
      [3, 'killed', 'vic-viewer', 'production: off'],
      [2, 'updated', 'sam-sre', 'default variant off → on'],
      [1, 'created', 'dev-dana', 'created'],
    ]);
    expect(entries[1]?.flag?.defaultVariant).toBe('on');
  });

  it('deletes with the current version only', async () => {
    await create();
    expect((await server.call('DELETE', '/api/v1/flags/dark-mode?version=7')).statusCode).toBe(409);
    expect((await server.call('DELETE', '/api/v1/flags/dark-mode?version=1')).statusCode).toBe(204);
    expect((await server.call('GET', '/api/v1/flags/dark-mode')).statusCode).toBe(404);
  });

  it('writes an audit row for each change', async () => {
    await create();
    const rows = server.context.audit
      .list(10)
      .filter((row) => row.targetType === 'flag' && row.targetId === 'dark-mode');
    expect(rows.map((r) => [r.action, r.actor])).toEqual([['flag.create', 'dev-dana']]);
  });
});

describe('segments', () => {
  it('refuses to delete a segment that flags use, naming them', async () => {
    const segment = (await server.call('GET', '/api/v1/segments/colombia')).json();
    const response = await server.call(
      'DELETE',
      `/api/v1/segments/colombia?version=${segment.version}`,
    );
    expect(response.statusCode).toBe(409);
    expect(response.json().error).toMatchObject({
      code: 'in_use',
      details: { flags: ['new-checkout'] },
    });
  });

  it('updates a segment with its version and refuses a stale one', async () => {
    const spec = {
      key: 'colombia',
      name: 'Colombia and Peru',
      conditions: [{ operator: 'in', attribute: 'country', values: ['CO', 'PE'] }],
    };
    expect(
      (await server.call('PUT', '/api/v1/segments/colombia', { body: { version: 1, spec } }))
        .statusCode,
    ).toBe(200);
    expect(
      (await server.call('PUT', '/api/v1/segments/colombia', { body: { version: 1, spec } }))
        .statusCode,
    ).toBe(409);
  });

  it('refuses a segment inside a segment, naming the condition', async () => {
    const response = await server.call('POST', '/api/v1/segments', {
      body: {
        key: 'nested',
        name: 'Nested',
        conditions: [{ operator: 'segment', segment: 'colombia' }],
      },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details.issues[0].path).toBe('conditions.0.operator');
  });
});
