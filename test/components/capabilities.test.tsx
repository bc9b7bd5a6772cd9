import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRoutes } from '@/app/router';
import type { Backend } from '@/backend/backend';
import { createHttpBackend, type FetchFunction } from '@/backend/http/http-backend';
import { BackendProvider } from '@/lib/backend-context';
import { tokenStorage } from '@/lib/token-storage';
import type { Experiment } from '@/domain/experiment';
import { cpuSpec } from '../domain/fixtures';
import { startFlagsServer, type FlagsServer } from './flags-harness';

let server: FlagsServer;
beforeAll(async () => {
  server = await startFlagsServer();
});
afterAll(() => server.close());

/**
 * The real server in-process, except the event stream: an in-process request cannot stay
 * open, so the stream answers an open body that ends when the adapter lets go of it.
 */
const fetchWithQuietStream: FetchFunction = async (input, init = {}) => {
  if (!input.startsWith('/api/v1/stream')) return server.fetch(input, init);
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      init.signal?.addEventListener('abort', () => controller.close(), { once: true });
    },
  });
  return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
};

/** A backend with only what a Chaos Mesh + Prometheus adapter would have. */
function coreOnly(full: Backend): Backend {
  return { experiments: full.experiments, fleet: full.fleet, live: full.live };
}

function renderApp(backend: Backend, path: string) {
  const queryClient = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  });
  const router = createMemoryRouter(appRoutes(backend), { initialEntries: [path] });
  render(
    <BackendProvider backend={backend}>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </BackendProvider>,
  );
  return router;
}

async function httpBackend(): Promise<Backend> {
  const token = await server.token('sam-sre');
  tokenStorage.set(token, false);
  return createHttpBackend({ fetch: fetchWithQuietStream, baseUrl: '', getToken: () => token });
}

describe('a backend that declares only experiments, fleet and live stream', () => {
  it(
    'shows every capability the full HTTP backend has in the menu',
    { timeout: 20_000 },
    async () => {
      renderApp(await httpBackend(), '/');
      const nav = await screen.findByRole('navigation', { name: 'Main' }, { timeout: 10_000 });
      for (const name of [
        'Overview',
        'Experiments',
        'Flags',
        'Rollouts',
        'Game days',
        'Incidents',
        'Audit',
        'Agents',
      ])
        expect(within(nav).getByRole('link', { name })).toBeInTheDocument();
      expect(screen.getByRole('button', { name: 'Sign out' })).toBeInTheDocument();
    },
  );

  it('leaves the flags, rollouts, game days, incidents and audit entries out of the menu', async () => {
    renderApp(coreOnly(await httpBackend()), '/experiments');
    const nav = await screen.findByRole('navigation', { name: 'Main' }, { timeout: 10_000 });
    expect(within(nav).getByRole('link', { name: 'Experiments' })).toBeInTheDocument();
    // Without identity every role may see every entry: only the missing capability hides one.
    for (const name of [
      'Flags',
      'Rollouts',
      'Game days',
      'Incidents',
      'Audit',
      'Agents',
      'Notifications',
    ])
      expect(within(nav).queryByRole('link', { name })).not.toBeInTheDocument();
    // Without identity there is no sign-in, so nothing to sign out of.
    expect(screen.queryByRole('button', { name: 'Sign out' })).not.toBeInTheDocument();
    // The kill switch stays; its flag option needs the flags capability.
    expect(screen.getByRole('button', { name: /halt all/i })).toBeInTheDocument();
    expect(
      screen.queryByRole('checkbox', { name: /turn off inherited flags/i }),
    ).not.toBeInTheDocument();
  });

  it.each([
    '/flags',
    '/flags/new-checkout',
    '/rollouts',
    '/rollouts/new',
    '/gamedays',
    '/gamedays/new',
    '/incidents',
    '/status',
    '/audit',
    '/agents',
    '/notifications',
    '/sign-in',
  ])(
    'answers %s, a page of an absent capability, as not found, not as a broken page',
    async (path) => {
      const router = renderApp(coreOnly(await httpBackend()), path);
      expect(
        await screen.findByRole('heading', { name: 'No such page' }, { timeout: 10_000 }),
      ).toBeInTheDocument();
      expect(router.state.location.pathname).toBe(path);
      expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    },
  );

  it('draws the overview from the core capabilities alone', async () => {
    renderApp(coreOnly(await httpBackend()), '/');
    expect(
      await screen.findByRole('region', { name: /Running now/ }, { timeout: 10_000 }),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('region', { name: 'Recent aborts and halts' }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it("draws an experiment's page, its status and its Start, without flags or identity", async () => {
    const created = await server.api('POST', '/api/v1/experiments', 'sam-sre', cpuSpec());
    expect(created.status).toBe(201);
    const experiment = created.json() as Experiment;
    renderApp(coreOnly(await httpBackend()), `/experiments/${experiment.id}`);
    expect(
      await screen.findByRole('heading', { level: 1, name: experiment.name }, { timeout: 15_000 }),
    ).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Experiment status' })).toHaveTextContent(/^Draft:/);
    // Without identity there are no roles: whoever reaches the dashboard may start it.
    expect(await screen.findByRole('button', { name: 'Start' })).toBeInTheDocument();
    // The monitor and the results per environment, which load after the page, draw too.
    expect(
      await screen.findByRole('region', { name: 'Live monitor' }, { timeout: 15_000 }),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('region', { name: 'Results per environment' }, { timeout: 15_000 }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it("offers a canary but no flag's cohort as a blast-radius source in the designer", async () => {
    renderApp(coreOnly(await httpBackend()), '/experiments/new');
    const source = await screen.findByRole(
      'group',
      { name: 'Instances from' },
      { timeout: 10_000 },
    );
    expect(within(source).getByRole('radio', { name: 'The whole service' })).toBeInTheDocument();
    // A canary is a version label on the fleet's instances: it needs no rollouts capability.
    expect(within(source).getByRole('radio', { name: 'Its canary' })).toBeInTheDocument();
    expect(
      within(source).queryByRole('radio', { name: "A flag's cohort" }),
    ).not.toBeInTheDocument();
  });

  it("offers a flag's cohort as a blast-radius source when the backend has flags", async () => {
    renderApp(await httpBackend(), '/experiments/new');
    const source = await screen.findByRole(
      'group',
      { name: 'Instances from' },
      { timeout: 10_000 },
    );
    expect(within(source).getByRole('radio', { name: "A flag's cohort" })).toBeInTheDocument();
  });

  it("leaves the inherited flag out of the live monitor of an experiment on a flag's cohort", async () => {
    const created = await server.api(
      'POST',
      '/api/v1/experiments',
      'sam-sre',
      cpuSpec({
        blastRadius: {
          scope: 'hosts',
          selector: {},
          mode: 'all',
          source: { kind: 'flag', flagKey: 'new-checkout' },
        },
      }),
    );
    expect(created.status).toBe(201);
    const experiment = created.json() as Experiment;
    renderApp(coreOnly(await httpBackend()), `/experiments/${experiment.id}`);
    expect(
      await screen.findByRole('region', { name: 'Live monitor' }, { timeout: 15_000 }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'Inherited flag' })).not.toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('draws the experiments list from the experiments capability alone', async () => {
    renderApp(coreOnly(await httpBackend()), '/experiments');
    expect(await screen.findByRole('heading', { name: /experiments/i })).toBeInTheDocument();
  });
});
