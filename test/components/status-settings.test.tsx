import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderApp, startAppServer, type AppServer } from './app-harness';

let app: AppServer;
beforeEach(async () => {
  app = await startAppServer();
});
afterEach(async () => {
  await app.close();
});

// The page loads its incidents and settings first: generous on a shared machine.
const settings = () =>
  screen.findByRole('region', { name: 'Public status page' }, { timeout: 10_000 });

describe('the status page settings', () => {
  it('shows the share link with its token once, when it is made, and never after', async () => {
    const first = await renderApp(app, 'ada-admin', '/incidents');
    await userEvent.click(
      within(await settings()).getByRole('checkbox', {
        name: 'Only people with the share link may open it',
      }),
    );
    expect(
      await within(await settings()).findByRole('status', {}, { timeout: 10_000 }),
    ).toHaveTextContent('Copy this link now: it will not be shown again.');
    const link =
      within(await settings())
        .getByRole('link')
        .getAttribute('href') ?? '';
    const token = new URL(link).searchParams.get('token') ?? '';
    expect(token).toMatch(/^[\w-]{20,}$/);
    const open = (query: string) => app.server.call('GET', `/api/v1/status${query}`, { as: null });
    expect((await open(`?token=${token}`)).statusCode).toBe(200);
    expect((await open('')).statusCode).toBe(403);
    first.unmount();

    await renderApp(app, 'ada-admin', '/incidents');
    const again = await settings();
    expect(
      await within(again).findByText(
        /The share link was shown once, when it was made/,
        {},
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
    expect(within(again).queryByRole('link')).toBeNull();
    expect(again.textContent).not.toContain(token);
    expect(within(again).getByRole('button', { name: /New link/ })).toBeInTheDocument();
  });
});
