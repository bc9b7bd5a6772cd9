import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyStreamEvent } from '@/lib/live/stream-sync';
import { renderFlags, startFlagsServer, type FlagsServer } from './flags-harness';

let server: FlagsServer;
beforeEach(async () => {
  localStorage.clear();
  server = await startFlagsServer();
  const off = { state: 'off', rules: [] };
  await server.api('POST', '/api/v1/flags', 'dev-dana', {
    key: 'search-v2',
    description: 'Semantic search',
    services: ['search'],
    variants: { old: 'v1', new: 'v2' },
    defaultVariant: 'old',
    offVariant: 'old',
    fallbackValue: 'v1',
    environments: {
      development: { state: 'on', rules: [] },
      testing: off,
      staging: off,
      production: off,
    },
  });
});
afterEach(() => server.close());

const user = () => userEvent.setup();

describe('the flag list', () => {
  it('shows each flag with its state per environment', async () => {
    await renderFlags(server, 'vic-viewer', '/flags');
    const row = await screen.findByRole('row', { name: /new-checkout/ });
    expect(within(row).getAllByRole('button', { name: /^Turn off new-checkout in / })).toHaveLength(
      4,
    );
    const search = screen.getByRole('row', { name: /search-v2/ });
    expect(
      within(search).getByRole('button', { name: 'Turn off search-v2 in development' }),
    ).toBeInTheDocument();
    expect(within(search).queryByRole('button', { name: /Turn on/ })).toBeNull();
  });

  it(
    'turns a flag off in one environment once confirmed, for any signed-in user, ' +
      'with a comment kept in its history and the audit',
    async () => {
      await renderFlags(server, 'vic-viewer', '/flags');
      await user().click(
        await screen.findByRole('button', { name: 'Turn off new-checkout in production' }),
      );
      const dialog = screen.getByRole('dialog', { name: 'Turn off new-checkout in production?' });
      expect(dialog).toHaveTextContent('This is production.');
      // Asking is not acting: nothing is off until confirmed.
      expect((await server.flag('new-checkout')).environments.production.state).toBe('on');
      await user().type(
        within(dialog).getByRole('textbox', { name: 'Comment (optional)' }),
        'checkout 500s after deploy',
      );
      await user().click(within(dialog).getByRole('button', { name: 'Turn off now' }));
      await waitFor(() =>
        expect(
          screen.queryByRole('button', { name: 'Turn off new-checkout in production' }),
        ).toBeNull(),
      );
      const flag = await server.flag('new-checkout');
      expect(flag.environments.production.state).toBe('off');
      expect(flag.environments.staging.state).toBe('on');
      expect(
        await server.evaluate('production', 'new-checkout', {
          targetingKey: 'x',
          email: 'ana@faultline.dev',
        }),
      ).toMatchObject({ value: false, reason: 'DISABLED' });
      const history = (
        await server.api('GET', '/api/v1/flags/new-checkout/history', 'vic-viewer')
      ).json() as { entries: { change: string; comment?: string }[] };
      expect(history.entries[0]).toMatchObject({
        change: 'killed',
        comment: 'checkout 500s after deploy',
      });
      const audit = (
        await server.api('GET', '/api/v1/audit?action=flag.kill', 'vic-viewer')
      ).json() as {
        entries: { comment?: string }[];
      };
      expect(audit.entries[0]?.comment).toBe('checkout 500s after deploy');
    },
  );

  it('changes nothing when the confirmation is cancelled', async () => {
    await renderFlags(server, 'vic-viewer', '/flags');
    await user().click(
      await screen.findByRole('button', { name: 'Turn off new-checkout in staging' }),
    );
    await user().click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect((await server.flag('new-checkout')).environments.staging.state).toBe('on');
  });

  it('shows a kill made elsewhere once the stream says flags changed', async () => {
    const rendered = await renderFlags(server, 'vic-viewer', '/flags');
    await screen.findByRole('button', { name: 'Turn off new-checkout in staging' });
    await server.api('POST', '/api/v1/flags/new-checkout/kill', 'sam-sre', {
      environment: 'staging',
    });
    applyStreamEvent(rendered.queryClient, {
      type: 'resource',
      resource: 'flags',
      id: 'new-checkout',
      change: 'killed',
    });
    await waitFor(() =>
      expect(screen.queryByRole('button', { name: 'Turn off new-checkout in staging' })).toBeNull(),
    );
  });

  it('lets an editor turn a flag back on', async () => {
    await server.api('POST', '/api/v1/flags/new-checkout/kill', 'vic-viewer', {
      environment: 'testing',
    });
    await renderFlags(server, 'dev-dana', '/flags');
    await user().click(
      await screen.findByRole('button', { name: 'Turn on new-checkout in testing' }),
    );
    await user().click(screen.getByRole('button', { name: 'Turn on now' }));
    await waitFor(async () =>
      expect((await server.flag('new-checkout')).environments.testing.state).toBe('on'),
    );
  });

  it('finds flags by words and filters them by state, type and service', async () => {
    await renderFlags(server, 'vic-viewer', '/flags');
    await screen.findByRole('row', { name: /search-v2/ });
    await user().type(screen.getByRole('searchbox', { name: 'Search flags' }), 'semantic');
    expect(screen.queryByRole('row', { name: /new-checkout/ })).toBeNull();
    expect(screen.getByRole('row', { name: /search-v2/ })).toBeInTheDocument();
    await user().clear(screen.getByRole('searchbox', { name: 'Search flags' }));

    await user().selectOptions(screen.getByLabelText('in environment'), 'production');
    await user().selectOptions(screen.getByLabelText('State'), 'off');
    expect(screen.queryByRole('row', { name: /new-checkout/ })).toBeNull();
    expect(screen.getByRole('row', { name: /search-v2/ })).toBeInTheDocument();

    await user().selectOptions(screen.getByLabelText('State'), 'any');
    await user().selectOptions(screen.getByLabelText('Type'), 'boolean');
    expect(screen.queryByRole('row', { name: /search-v2/ })).toBeNull();
    await user().selectOptions(screen.getByLabelText('Type'), 'any');
    await user().selectOptions(screen.getByLabelText('Service'), 'checkout');
    expect(screen.getByRole('row', { name: /new-checkout/ })).toBeInTheDocument();
    expect(screen.queryByRole('row', { name: /search-v2/ })).toBeNull();
  });

  it('shows an OFREP key to admins once, right after making it, and only its first characters after', async () => {
    const admin = await renderFlags(server, 'ada-admin', '/flags');
    expect(
      await screen.findByRole('heading', { name: 'Connect applications (OFREP)' }),
    ).toBeInTheDocument();
    const panel = screen.getByRole('region', { name: 'Connect applications (OFREP)' });
    const production = await within(panel).findByRole('row', { name: /^production/ });
    expect(production).toHaveTextContent('no key yet');
    await user().click(within(production).getByRole('button', { name: 'Make production key' }));
    const made = await within(panel).findByRole('status');
    expect(made).toHaveTextContent('Copy it now: it will not be shown again.');
    const key = within(made).getByLabelText('production key').textContent ?? '';
    expect(key).toMatch(/^ff_prod_/);
    // The key shown is the one the OFREP endpoint takes.
    const answer = await server.faultline.app.inject({
      method: 'POST',
      url: '/ofrep/v1/evaluate/flags/new-checkout',
      headers: { 'x-api-key': key, 'content-type': 'application/json' },
      payload: JSON.stringify({ context: { targetingKey: 'u-1' } }),
    });
    expect(answer.statusCode).toBe(200);
    await user().click(within(made).getByRole('button', { name: 'I have copied it' }));
    expect(within(panel).queryByRole('status')).toBeNull();
    expect(screen.queryByText(key)).toBeNull();
    expect(
      await within(within(panel).getByRole('row', { name: /^production/ })).findByText(
        `${key.slice(0, 12)}…`,
      ),
    ).toBeInTheDocument();
    admin.unmount();
    await renderFlags(server, 'dev-dana', '/flags');
    await screen.findByRole('row', { name: /new-checkout/ });
    expect(screen.queryByRole('heading', { name: 'Connect applications (OFREP)' })).toBeNull();
  });
});

describe('segments', () => {
  it('refuses to delete a segment that flags use, naming them', async () => {
    await renderFlags(server, 'dev-dana', '/flags');
    await user().click(await screen.findByRole('button', { name: 'Edit segment Colombia' }));
    await user().click(screen.getByRole('button', { name: 'Delete segment' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'flags still use this segment: new-checkout',
    );
    expect((await server.api('GET', '/api/v1/segments/colombia', 'vic-viewer')).status).toBe(200);
  });

  it('creates a segment from the form, refusing a bad key next to its field', async () => {
    await renderFlags(server, 'dev-dana', '/flags');
    await user().click(await screen.findByRole('button', { name: 'New segment' }));
    const form = screen.getByRole('form', { name: 'New segment' });
    await user().type(within(form).getByLabelText('Segment key'), 'p'.repeat(65));
    await user().type(within(form).getByLabelText('Segment name'), 'Peru');
    await user().selectOptions(
      within(form).getByLabelText('Operator of condition 1 of the segment'),
      'equals',
    );
    await user().clear(within(form).getByLabelText('Attribute of condition 1 of the segment'));
    await user().type(
      within(form).getByLabelText('Attribute of condition 1 of the segment'),
      'country',
    );
    await user().type(within(form).getByLabelText('Value of condition 1 of the segment'), 'PE');
    await user().click(within(form).getByRole('button', { name: 'Save segment' }));
    expect(within(form).getByLabelText('Segment key')).toHaveAccessibleDescription(
      /at most 64 characters/,
    );

    await user().clear(within(form).getByLabelText('Segment key'));
    await user().type(within(form).getByLabelText('Segment key'), 'peru');
    await user().click(within(form).getByRole('button', { name: 'Save segment' }));
    await waitFor(() => expect(screen.queryByRole('form', { name: 'New segment' })).toBeNull());
    const segment = (await server.api('GET', '/api/v1/segments/peru', 'vic-viewer')).json();
    expect(segment).toMatchObject({
      name: 'Peru',
      conditions: [{ operator: 'equals', attribute: 'country', value: 'PE' }],
    });
    expect(await screen.findByText('country is PE')).toBeInTheDocument();
  });
});
