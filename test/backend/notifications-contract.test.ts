import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type WebhookReceiver } from '../mock-server/webhook-receiver';
import { contractServer, failure } from './contract-server';

// The notifications part of the HTTP adapter against the real server, over a loopback socket.
const { signIn } = contractServer();
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(() => receiver.close());

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
