import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type FaultlineApp } from '../../mock-server/app';
import { ManualClock } from '../../mock-server/clock';
import { BackendError } from '@/backend/errors';
import type { Backend } from '@/backend/backend';
import { createHttpBackend } from '@/backend/http/http-backend';
import { startReceiver, type WebhookReceiver } from '../mock-server/webhook-receiver';

// The notifications part of the HTTP adapter against the real server, over a loopback socket.
let server: FaultlineApp;
let baseUrl: string;
let receiver: WebhookReceiver;

function backendWith(token: string | null): Backend {
  return createHttpBackend({ fetch: (i, init) => fetch(i, init), baseUrl, getToken: () => token });
}

async function signIn(user: string): Promise<Backend> {
  const session = await backendWith(null).identity!.createDemoSession!(user);
  return backendWith(session.token);
}

async function failure(promise: Promise<unknown>): Promise<BackendError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof BackendError))
    throw new Error(`expected a BackendError, got ${String(error)}`);
  return error;
}

beforeAll(async () => {
  receiver = await startReceiver();
  server = await buildApp({
    database: ':memory:',
    clock: new ManualClock(Date.UTC(2025, 0, 6, 9)),
    sampleData: false,
    ticking: false,
  });
  await server.app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await server.app.close();
  await receiver.close();
});

describe('the notifications capability over HTTP', () => {
  it('creates, lists, edits, tests and deletes a webhook, answering parsed records', async () => {
    const notifications = (await signIn('ada-admin')).notifications!;
    const created = await notifications.createWebhook({
      name: 'contract',
      url: receiver.url,
      events: ['halt-all'],
    });
    expect(created).toMatchObject({ name: 'contract', format: 'faultline', enabled: true });
    expect(created.secret).toMatch(/^whsec_/);
    expect((await notifications.listWebhooks()).map((w) => w.id)).toEqual([created.id]);
    const edited = await notifications.updateWebhook(created.id, {
      version: created.version,
      spec: { name: 'renamed', url: receiver.url, events: ['halt-all'], format: 'slack' },
    });
    expect(edited).toMatchObject({ name: 'renamed', format: 'slack', version: 2 });
    expect(edited.secret).toBeUndefined();
    const queued = await notifications.sendTestWebhook(created.id);
    expect(queued).toMatchObject({ event: 'test', state: 'pending' });
    await receiver.waitFor(1);
    expect((await notifications.webhookDeliveries(created.id)).map((d) => d.id)).toEqual([
      queued.id,
    ]);
    await notifications.deleteWebhook(created.id, edited.version);
    expect(await notifications.listWebhooks()).toEqual([]);
  });

  it('turns refusals into domain errors: invalid with the field, forbidden, conflict', async () => {
    const admin = (await signIn('ada-admin')).notifications!;
    const invalid = await failure(
      admin.createWebhook({ name: 'bad', url: 'not a url', events: ['halt-all'] }),
    );
    expect(invalid.kind).toBe('invalid');
    expect(invalid.issues.map((i) => i.path)).toEqual(['url']);
    const sre = (await signIn('sam-sre')).notifications!;
    expect((await failure(sre.listWebhooks())).kind).toBe('forbidden');
    const made = await admin.createWebhook({ name: 'v', url: receiver.url, events: ['halt-all'] });
    const spec = { name: 'v2', url: receiver.url, events: ['halt-all' as const] };
    await admin.updateWebhook(made.id, { version: 1, spec });
    expect((await failure(admin.updateWebhook(made.id, { version: 1, spec }))).kind).toBe(
      'conflict',
    );
  });
});
