import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  DELIVERIES_KEPT_PER_WEBHOOK,
  newWebhookId,
  webhookStore,
} from '../../mock-server/notifications/webhook-store';
import type { Webhook, WebhookWithSecret } from '../../src/domain/webhooks';
import { testServer, type TestServer } from './test-server';

let server: TestServer | null = null;
afterEach(async () => {
  await server?.app.close();
  server = null;
});

const spec = (overrides: Record<string, unknown> = {}) => ({
  name: 'Leadership channel',
  url: 'http://127.0.0.1:9/services/T000/B000',
  events: ['halt-all', 'incident.opened'],
  format: 'slack',
  ...overrides,
});

async function create(s: TestServer, body: unknown = spec()): Promise<WebhookWithSecret> {
  const response = await s.call('POST', '/api/v1/webhooks', { as: 'ada-admin', body });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as WebhookWithSecret;
}

const issuePaths = (body: { error: { details?: { issues?: { path: string }[] } } }) =>
  body.error.details?.issues?.map((issue) => issue.path) ?? [];

describe('webhooks API', () => {
  it('shows the signing secret once, in the answer to the create, never in the list', async () => {
    server = await testServer();
    const created = await create(server);
    expect(created.secret).toMatch(/^whsec_[\w-]{43}$/);
    expect(created).toMatchObject({ ...spec(), enabled: true, version: 1, createdBy: 'ada-admin' });
    expect(created.secretHint).toBe(`${created.secret.slice(0, 10)}…`);

    const list = await server.call('GET', '/api/v1/webhooks', { as: 'ada-admin' });
    const [listed] = (list.json() as { webhooks: Webhook[] }).webhooks;
    expect(listed).toMatchObject({ id: created.id, secretHint: created.secretHint });
    expect(list.body).not.toContain(created.secret);
  });

  it('writes an audit row with each change, without the secret', async () => {
    server = await testServer();
    const created = await create(server);
    const edited = await server.call('PUT', `/api/v1/webhooks/${created.id}`, {
      as: 'ada-admin',
      body: { version: 1, spec: spec({ name: 'Status updates', enabled: false }) },
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ name: 'Status updates', enabled: false, version: 2 });
    expect(edited.json()).not.toHaveProperty('secret');
    const deleted = await server.call('DELETE', `/api/v1/webhooks/${created.id}?version=2`, {
      as: 'ada-admin',
    });
    expect(deleted.statusCode, deleted.body).toBe(204);

    const rows = server.context.audit.list(10).filter((row) => row.targetType === 'webhook');
    expect(rows.map((row) => [row.action, row.actor, row.targetId])).toEqual([
      ['webhook.delete', 'ada-admin', created.id],
      ['webhook.update', 'ada-admin', created.id],
      ['webhook.create', 'ada-admin', created.id],
    ]);
    expect(JSON.stringify(rows)).not.toContain(created.secret);
    const gone = await server.call('GET', `/api/v1/webhooks/${created.id}/deliveries`, {
      as: 'ada-admin',
    });
    expect(gone.statusCode).toBe(404);
  });

  it('rotates the secret on request and shows the new one once', async () => {
    server = await testServer();
    const created = await create(server);
    const rotated = await server.call('PUT', `/api/v1/webhooks/${created.id}`, {
      as: 'ada-admin',
      body: { version: 1, spec: spec(), rotateSecret: true },
    });
    const body = rotated.json() as WebhookWithSecret;
    expect(body.secret).toMatch(/^whsec_/);
    expect(body.secret).not.toBe(created.secret);
    expect(server.context.audit.list(1)[0]?.after).toMatchObject({ secretRotated: true });
  });

  it('refuses a stale edit with 409 and changes nothing', async () => {
    server = await testServer();
    const created = await create(server);
    const put = (version: number, name: string) =>
      server!.call('PUT', `/api/v1/webhooks/${created.id}`, {
        as: 'ada-admin',
        body: { version, spec: spec({ name }) },
      });
    expect((await put(1, 'First')).statusCode).toBe(200);
    const stale = await put(1, 'Second');
    expect(stale.statusCode).toBe(409);
    const list = await server.call('GET', '/api/v1/webhooks', { as: 'ada-admin' });
    expect((list.json() as { webhooks: Webhook[] }).webhooks[0]?.name).toBe('First');
  });

  it.each([
    ['a URL that is not one', { url: 'hooks.example.com/x' }, 'url'],
    ['a URL of another scheme', { url: 'ftp://hooks.example.com/x' }, 'url'],
    ['a URL with a password in it', { url: 'https://user:pw@hooks.example.com/x' }, 'url'],
    ['no events', { events: [] }, 'events'],
    ['an event Faultline does not send', { events: ['flag.changed'] }, 'events.0'],
    ['the same event twice', { events: ['halt-all', 'halt-all'] }, 'events'],
    ['no name', { name: '  ' }, 'name'],
    ['an unknown format', { format: 'teams' }, 'format'],
  ])('answers 400 naming the field for %s, and stores nothing', async (_case, bad, path) => {
    server = await testServer();
    const before = server.context.audit.count();
    const response = await server.call('POST', '/api/v1/webhooks', {
      as: 'ada-admin',
      body: spec(bad),
    });
    expect(response.statusCode).toBe(400);
    expect(issuePaths(response.json())).toContain(path);
    expect(server.context.audit.count()).toBe(before);
    const list = await server.call('GET', '/api/v1/webhooks', { as: 'ada-admin' });
    expect((list.json() as { webhooks: Webhook[] }).webhooks).toEqual([]);
  });

  it.each(['sam-sre', 'dev-dana', 'vic-viewer'])(
    'refuses %s with 403: admins only',
    async (user) => {
      server = await testServer();
      const created = await create(server);
      const calls: [string, string, unknown?][] = [
        ['GET', '/api/v1/webhooks'],
        ['POST', '/api/v1/webhooks', spec()],
        ['PUT', `/api/v1/webhooks/${created.id}`, { version: 1, spec: spec() }],
        ['DELETE', `/api/v1/webhooks/${created.id}?version=1`],
        ['GET', `/api/v1/webhooks/${created.id}/deliveries`],
        ['POST', `/api/v1/webhooks/${created.id}/test`],
      ];
      for (const [method, url, body] of calls) {
        const response = await server.call(method, url, { as: user, body });
        expect(response.statusCode, `${method} ${url}`).toBe(403);
      }
      const webhookRows = server.context.audit
        .list(50)
        .filter((row) => row.targetType === 'webhook');
      expect(webhookRows.map((row) => row.action)).toEqual(['webhook.create']);
    },
  );
});

describe('a stored webhook that cannot be read', () => {
  it('is skipped and reported, refused with 409, and can be deleted', async () => {
    // The receiver's answer waits until the row is damaged: the retry then meets it unreadable.
    let answer = (_status: number) => {};
    const held: typeof fetch = () =>
      new Promise((resolve) => (answer = (status) => resolve(new Response(null, { status }))));
    server = await testServer({ notifications: { fetch: held, policy: { retryBaseMs: 1 } } });
    const created = await create(server);
    await create(server, spec({ name: 'Readable' }));
    const queued = await server.call('POST', `/api/v1/webhooks/${created.id}/test`, {
      as: 'ada-admin',
    });
    expect(queued.statusCode).toBe(202);
    server.context.db
      .prepare('UPDATE webhooks SET events = \'["nope"]\' WHERE id = ?')
      .run(created.id);
    answer(500);
    // It fails for good, rather than being due again at once, forever.
    const state = server.context.db.prepare(
      'SELECT state, attempts, last_error AS lastError FROM webhook_deliveries WHERE webhook_id = ?',
    );
    await vi.waitFor(() =>
      expect(state.get(created.id)).toEqual({
        state: 'failed',
        attempts: 2,
        lastError: 'not sent: the webhook cannot be read',
      }),
    );

    const list = await server.call('GET', '/api/v1/webhooks', { as: 'ada-admin' });
    expect((list.json() as { webhooks: Webhook[] }).webhooks.map((w) => w.name)).toEqual([
      'Readable',
    ]);
    const skipped = await server.call('GET', '/api/v1/skipped-records', { as: 'ada-admin' });
    expect(skipped.json()).toMatchObject({ records: [{ kind: 'webhook', id: created.id }] });
    const test = await server.call('POST', `/api/v1/webhooks/${created.id}/test`, {
      as: 'ada-admin',
    });
    expect(test.statusCode).toBe(409);
    expect(test.json()).toMatchObject({ error: { code: 'unreadable_record' } });

    const deleted = await server.call('DELETE', `/api/v1/webhooks/${created.id}?version=1`, {
      as: 'ada-admin',
    });
    expect(deleted.statusCode, deleted.body).toBe(204);
    const after = await server.call('GET', '/api/v1/skipped-records', { as: 'ada-admin' });
    expect(after.json()).toEqual({ records: [] });
    expect(server.context.audit.list(1)[0]).toMatchObject({
      action: 'webhook.delete',
      before: { id: created.id, version: 1, unreadable: true },
    });
  });
});

describe('the delivery log', () => {
  it(`keeps the newest ${DELIVERIES_KEPT_PER_WEBHOOK} rows per webhook`, () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    db.exec('CREATE TABLE migrations (id TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)');
    const store = webhookStore(db);
    const body = { name: 'log', url: 'http://127.0.0.1:9/x', format: 'faultline' as const };
    const one = store.create(
      newWebhookId(),
      { ...body, events: ['halt-all'], enabled: true },
      'ada',
      0,
    );
    const other = store.create(
      newWebhookId(),
      { ...body, events: ['halt-all'], enabled: true },
      'ada',
      0,
    );
    const queue = (webhookId: string, n: number) =>
      store.enqueue({ webhookId, event: 'test', summary: `message ${n}`, body: '{}', now: n });
    for (let n = 0; n < DELIVERIES_KEPT_PER_WEBHOOK + 15; n++) queue(one.id, n);
    queue(other.id, 0);
    const kept = store.deliveries(one.id);
    expect(kept).toHaveLength(DELIVERIES_KEPT_PER_WEBHOOK);
    expect(kept[0]?.summary).toBe(`message ${DELIVERIES_KEPT_PER_WEBHOOK + 14}`);
    expect(kept.at(-1)?.summary).toBe('message 15');
    expect(store.deliveries(other.id)).toHaveLength(1);
    db.close();
  });
});
