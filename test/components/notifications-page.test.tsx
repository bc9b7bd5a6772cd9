import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Webhook } from '@/domain/webhooks';
import { startReceiver, type WebhookReceiver } from '../mock-server/webhook-receiver';
import { renderApp, startAppServer, type AppServer } from './app-harness';

let app: AppServer;
let receiver: WebhookReceiver;
beforeEach(async () => {
  app = await startAppServer();
  // The first message is refused for good (410), every later one is taken (200).
  receiver = await startReceiver((n) => (n === 0 ? 410 : 200));
});
afterEach(async () => {
  await app.close();
  await receiver.close();
});

const user = () => userEvent.setup({ delay: null });

async function listed(): Promise<Webhook[]> {
  const response = await app.server.call('GET', '/api/v1/webhooks', { as: 'ada-admin' });
  return (response.json() as { webhooks: Webhook[] }).webhooks;
}

async function openPage() {
  await renderApp(app, 'ada-admin', '/notifications');
  return screen.findByRole('heading', { name: 'Notifications', level: 1 }, { timeout: 10_000 });
}

describe('the notifications page', () => {
  it('names each field at fault next to it, from its own check and from the server', async () => {
    await openPage();
    const form = screen.getByRole('form', { name: 'Add a webhook' });
    await user().click(within(form).getByRole('button', { name: 'Add webhook' }));
    expect(within(form).getByLabelText('Name')).toHaveAttribute('aria-invalid', 'true');
    expect(within(form).getByText('name the webhook')).toBeInTheDocument();
    expect(within(form).getByText('enter the URL to send to')).toBeInTheDocument();
    expect(within(form).getByText('choose at least one event')).toBeInTheDocument();
    expect(app.requests).not.toContain('POST /api/v1/webhooks');

    await user().type(within(form).getByLabelText('Name'), 'Leadership');
    await user().type(within(form).getByLabelText('URL'), 'ftp://example.com/hook');
    await user().click(within(form).getByLabelText('Halt all'));
    await user().click(within(form).getByRole('button', { name: 'Add webhook' }));
    expect(within(form).getByText('enter a full http:// or https:// URL')).toBeInTheDocument();
    expect(within(form).getByLabelText('URL')).toHaveAttribute('aria-invalid', 'true');
    expect(within(form).getByLabelText('Name')).toHaveAttribute('aria-invalid', 'false');
    expect(await listed()).toEqual([]);
  });

  it('adds a webhook, shows its secret once, sends a test and shows the delivery log', async () => {
    await openPage();
    const menu = screen.getByRole('navigation', { name: 'Main' });
    expect(within(menu).getByRole('link', { name: 'Notifications' })).toBeInTheDocument();
    const form = screen.getByRole('form', { name: 'Add a webhook' });
    await user().type(within(form).getByLabelText('Name'), 'Leadership');
    await user().type(within(form).getByLabelText('URL'), receiver.url);
    await user().click(within(form).getByLabelText('Halt all'));
    await user().click(within(form).getByLabelText('Incident opened'));
    await user().selectOptions(within(form).getByLabelText('Format'), 'slack');
    await user().click(within(form).getByRole('button', { name: 'Add webhook' }));

    const shown = await screen.findByRole('status', { name: 'Signing secret for Leadership' });
    const secret = within(shown).getByText(/^whsec_/).textContent ?? '';
    expect(secret).toMatch(/^whsec_/);
    const [stored] = await listed();
    expect(stored).toMatchObject({
      name: 'Leadership',
      url: receiver.url,
      events: ['halt-all', 'incident.opened'],
      format: 'slack',
    });
    const row = await screen.findByRole('listitem', { name: 'Leadership' });
    expect(row).toHaveTextContent('Halt all, Incident opened');
    expect(row).not.toHaveTextContent(secret);
    await user().click(within(shown).getByRole('button', { name: 'Done, I have copied it' }));
    expect(screen.queryByText(secret)).not.toBeInTheDocument();

    // The first test is refused by the receiver (410): the log says so, and is not retried.
    await user().click(within(row).getByRole('button', { name: 'Send a test to Leadership' }));
    await user().click(within(row).getByRole('button', { name: 'Delivery log of Leadership' }));
    const log = within(row).getByRole('region', { name: 'Delivery log of Leadership' });
    const refused = await within(log).findByRole(
      'row',
      { name: /Test message/ },
      { timeout: 5_000 },
    );
    expect(
      await within(refused).findByText('HTTP 410', {}, { timeout: 5_000 }),
    ).toBeInTheDocument();
    expect(within(refused).getByText('failed')).toBeInTheDocument();

    await user().click(within(row).getByRole('button', { name: 'Send a test to Leadership' }));
    await receiver.waitFor(2);
    expect(await within(log).findByText('delivered', {}, { timeout: 5_000 })).toBeInTheDocument();
    expect(within(log).getAllByRole('row')).toHaveLength(3);
  });

  it('edits and deletes a webhook, and rotates its secret only on request', async () => {
    await app.server.call('POST', '/api/v1/webhooks', {
      as: 'ada-admin',
      body: { name: 'Status tool', url: receiver.url, events: ['incident.resolved'] },
    });
    await openPage();
    const row = await screen.findByRole('listitem', { name: 'Status tool' });
    await user().click(within(row).getByRole('button', { name: 'Edit Status tool' }));
    const form = screen.getByRole('form', { name: 'Edit Status tool' });
    await user().clear(within(form).getByLabelText('Name'));
    await user().type(within(form).getByLabelText('Name'), 'Customer status');
    await user().click(within(form).getByLabelText('Enabled'));
    await user().click(within(form).getByLabelText(/Make a new signing secret/));
    await user().click(within(form).getByRole('button', { name: 'Save webhook' }));

    expect(
      await screen.findByRole('status', { name: 'Signing secret for Customer status' }),
    ).toBeInTheDocument();
    const edited = await screen.findByRole('listitem', { name: 'Customer status' });
    expect(edited).toHaveTextContent('disabled');
    expect(await listed()).toMatchObject([{ name: 'Customer status', enabled: false, version: 2 }]);

    await user().click(within(edited).getByRole('button', { name: 'Delete Customer status' }));
    await user().click(within(edited).getByRole('button', { name: 'Yes, delete Customer status' }));
    expect(await screen.findByText('No webhook yet: add one above.')).toBeInTheDocument();
    expect(await listed()).toEqual([]);
  });

  it('is in the menu for admins only', async () => {
    await renderApp(app, 'sam-sre', '/notifications');
    expect(
      await screen.findByText(
        'Only an admin can see and change notifications.',
        {},
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
    const menu = screen.getByRole('navigation', { name: 'Main' });
    expect(within(menu).queryByRole('link', { name: 'Notifications' })).not.toBeInTheDocument();
    expect(app.requests).not.toContain('GET /api/v1/webhooks');
  });
});
