import type { ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpBackend } from '@/backend/http/http-backend';
import { AgentsPage } from '@/features/agents/agents-page';
import { BackendProvider } from '@/lib/backend-context';
import { startTestServer, tokenFor, type TestServer } from './designer-harness';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(() => server.close());

const user = () => userEvent.setup({ delay: null });

async function renderAgents(person: string) {
  const token = await tokenFor(server, person);
  const backend = createHttpBackend({ fetch: server.fetch, baseUrl: '', getToken: () => token });
  const queryClient = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  });
  render(
    <BackendProvider backend={backend}>
      <QueryClientProvider client={queryClient}>
        <MemoryRouter initialEntries={['/agents']}>
          <AgentsPage />
        </MemoryRouter>
      </QueryClientProvider>
    </BackendProvider>,
  );
}

/** An agent on `host` connecting with the token `id`, as agent/ does over POST agents/connect. */
function connectAgent(id: string, name: string, host: string, target: string): string {
  return server.faultline.agents.hub.connect(
    { id, name },
    {
      host,
      version: '1',
      holding: [],
      targets: [
        {
          name: target,
          service: 'checkout',
          environment: 'staging',
          labels: { zone: 'local' },
          pid: 4242,
          http: true,
        },
      ],
    },
    () => false,
  );
}

describe('the agents page', () => {
  it('lets an admin create a token, shows it once, and revoke it', async () => {
    await renderAgents('ada-admin');
    await screen.findByText('No agent token yet.');
    await user().type(screen.getByLabelText('Token name'), 'laptop');
    await user().click(screen.getByRole('button', { name: 'Create token' }));

    const shown = await screen.findByRole('status', { name: 'New agent token laptop' });
    const token = within(shown).getByText(/^fla_/).textContent ?? '';
    expect(token).toMatch(/^fla_/);
    // The server lists the token by name, never with its value.
    const row = await screen.findByRole('row', { name: /^laptop / });
    expect(row).not.toHaveTextContent(token);
    await user().click(within(shown).getByRole('button', { name: 'Done, I have copied it' }));
    expect(screen.queryByText(token)).not.toBeInTheDocument();

    await user().click(within(row).getByRole('button', { name: 'Revoke laptop' }));
    await user().click(screen.getByRole('button', { name: 'Yes, revoke laptop' }));
    expect(await within(row).findByText(/^revoked /)).toBeInTheDocument();
    const listed = await server.faultline.app.inject({
      method: 'GET',
      url: '/api/v1/agent-tokens',
      headers: { authorization: `Bearer ${await tokenFor(server, 'ada-admin')}` },
    });
    expect(listed.json()).toMatchObject({
      tokens: [{ name: 'laptop', revokedAt: expect.any(Number) }],
    });
  });

  it('tells someone who is not an admin how an agent comes to connect, and offers no tokens', async () => {
    await renderAgents('sam-sre');
    expect(
      await screen.findByText(/No agent has connected since the server started\./),
    ).toHaveTextContent('An admin creates the token an agent connects with.');
    expect(screen.getByText('npm run start:real')).toBeInTheDocument();
    expect(screen.queryByLabelText('Token name')).not.toBeInTheDocument();
  });

  it('names the field when a token has no name, and sends nothing', async () => {
    await renderAgents('ada-admin');
    await screen.findByText('No agent token yet.');
    const before = server.requests.length;
    await user().type(screen.getByLabelText('Token name'), '   ');
    await user().click(screen.getByRole('button', { name: 'Create token' }));
    expect(await screen.findByText('name the token after the host it is for')).toBeInTheDocument();
    expect(screen.getByLabelText('Token name')).toHaveAttribute('aria-invalid', 'true');
    expect(server.requests.slice(before)).not.toContain('POST /api/v1/agent-tokens');
  });

  it("lists each agent's host, targets, faults, last word and whether it is connected", async () => {
    const online = connectAgent('token-1', 'laptop', 'laptop.local', 'shop-1');
    // Its command stream open, as an agent holds it; closed when the server closes.
    server.faultline.agents.hub.openStream(
      online,
      'token-1',
      new PassThrough() as unknown as ServerResponse,
    );
    server.faultline.agents.hub.report(online, 'token-1', [
      {
        seq: 0,
        faultId: 'exp-1/shop-1',
        target: 'shop-1',
        outcome: 'applied',
        detail: 'fault proxy: 20 % answered 500',
      },
    ]);
    connectAgent('token-2', 'old box', 'old.local', 'shop-2');
    await renderAgents('sam-sre');

    const row = await screen.findByRole('row', { name: /^laptop\.local/ });
    expect(within(row).getByRole('list', { name: 'Targets of laptop.local' })).toHaveTextContent(
      'shop-1 checkout · staging · pid 4242 · HTTP',
    );
    expect(
      within(row).getByRole('list', { name: 'Faults held by laptop.local' }),
    ).toHaveTextContent('shop-1: fault proxy: 20 % answered 500');
    expect(row).toHaveTextContent(/\d+ s ago/);
    expect(within(row).getByText('connected')).toBeInTheDocument();
    const silent = screen.getByRole('row', { name: /^old\.local/ });
    expect(within(silent).getByText('disconnected')).toBeInTheDocument();
    expect(within(silent).getByText('none')).toBeInTheDocument();
    // An SRE sees the agents, not the tokens.
    expect(screen.queryByRole('heading', { name: 'Agent tokens' })).not.toBeInTheDocument();
  });
});
