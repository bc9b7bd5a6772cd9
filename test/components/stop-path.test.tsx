import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createQueryClient } from '@/app/query-client';
import { createHttpBackend, type FetchFunction } from '@/backend/http/http-backend';
import { FlagSwitch } from '@/components/flag-switch/flag-switch';
import { KillSwitch } from '@/components/kill-switch/kill-switch';
import type { Experiment } from '@/domain';
import type { Flag } from '@/domain/flags';
import { HaltButton } from '@/features/experiments/halt-button';
import { BackendProvider } from '@/lib/backend-context';
import { tokenStorage } from '@/lib/token-storage';
import { STOP_KEY, type StopTiming } from '@/lib/use-stop';
import { cpuSpec } from '../domain/fixtures';
import { startTestServer, tokenFor, type TestServer } from './designer-harness';

/** Short waits so many attempts fit in a test; the server in-process answers well inside 2 s. */
const FAST: StopTiming = { retryDelayMs: () => 20, requestTimeoutMs: 2_000 };
const SLOW_TIMEOUT: StopTiming = { retryDelayMs: () => 20, requestTimeoutMs: 150 };

type Network = 'up' | 'down' | 'slow';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.close();
});

/**
 * The real server in-process behind a network the test controls: `down` fails every request
 * as fetch does with no route to the server, `slow` never answers (the adapter's timeout
 * ends each attempt), `up` passes requests to the server.
 */
function controlledNetwork() {
  const state = { network: 'up' as Network, stops: 0 };
  const fetch: FetchFunction = async (input, init = {}) => {
    if ((init.method ?? 'GET') === 'POST') state.stops++;
    if (state.network === 'down') throw new TypeError('Failed to fetch');
    if (state.network === 'slow') {
      const signal = init.signal;
      await new Promise((_, reject) => {
        if (!signal) return;
        signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
      });
    }
    return server.fetch(input, init);
  };
  return { state, fetch };
}

async function startExperiment(spec = cpuSpec()): Promise<Experiment> {
  const token = await tokenFor(server, 'sam-sre');
  const post = (url: string, body: object) =>
    server.faultline.app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${token}` },
      payload: body,
    });
  const created = (await post('/api/v1/experiments', spec)).json() as Experiment;
  const started = await post(`/api/v1/experiments/${created.id}/start`, { version: 1 });
  expect(started.statusCode, started.body).toBe(200);
  return started.json() as Experiment;
}

const experimentState = (id: string) => server.faultline.context.experiments.get(id)?.state;

const flagState = () =>
  (
    JSON.parse(
      (
        server.faultline.context.db
          .prepare("SELECT body FROM flags WHERE key = 'new-checkout'")
          .get() as { body: string }
      ).body,
    ) as Flag
  ).environments.staging.state;

/** Renders over the real adapter and the app's own query client, signed in as `user`. */
async function renderSignedIn(user: string, fetch: FetchFunction, ui: ReactNode) {
  tokenStorage.set(await tokenFor(server, user), false);
  const backend = createHttpBackend({ fetch, baseUrl: '', getToken: () => tokenStorage.get() });
  const queryClient = createQueryClient();
  render(
    <BackendProvider backend={backend}>
      <QueryClientProvider client={queryClient}>
        <MemoryRouter>{ui}</MemoryRouter>
      </QueryClientProvider>
    </BackendProvider>,
  );
  return queryClient;
}

interface Stop {
  name: string;
  /** Starts what this stop stops; answers how to tell it has been stopped on the server. */
  arrange: () => Promise<{ ui: (timing: StopTiming) => ReactNode; stopped: () => boolean }>;
  press: () => Promise<void>;
  status: () => HTMLElement;
  pending: RegExp;
  confirmed: RegExp;
}

const STOPS: Stop[] = [
  {
    name: 'halt all',
    arrange: async () => {
      const experiment = await startExperiment();
      return {
        ui: (timing) => <KillSwitch timing={timing} />,
        stopped: () => experimentState(experiment.id) === 'halted',
      };
    },
    press: () => userEvent.click(screen.getByRole('button', { name: /halt all/i })),
    status: () => screen.getByRole('status'),
    pending: /^Halting…/,
    confirmed: /Halted 1 experiment/,
  },
  {
    name: 'halting one experiment',
    arrange: async () => {
      const experiment = await startExperiment();
      return {
        ui: (timing) => <HaltButton experiment={experiment} timing={timing} />,
        stopped: () => experimentState(experiment.id) === 'halted',
      };
    },
    press: () => userEvent.click(screen.getByRole('button', { name: 'Halt' })),
    status: () => screen.getByRole('status', { name: 'Halt' }),
    pending: /^Halting…/,
    confirmed: /^Halted$/,
  },
  {
    name: "a flag's kill switch",
    arrange: async () => ({
      ui: (timing) => (
        <FlagSwitch flagKey="new-checkout" environment="staging" state="on" timing={timing} />
      ),
      stopped: () => flagState() === 'off',
    }),
    press: async () => {
      await userEvent.click(
        screen.getByRole('button', { name: 'Turn off new-checkout in staging' }),
      );
      await userEvent.click(screen.getByRole('button', { name: 'Turn off now' }));
    },
    status: () => screen.getByRole('status', { name: 'new-checkout in staging' }),
    pending: /^Switching…/,
    confirmed: /new-checkout is off in staging/,
  },
];

describe.each(STOPS)('$name, as the one stop mutation', (stop) => {
  it('stays pending while the server is down, past any count of tries, and lands once it is back', async () => {
    const { ui, stopped } = await stop.arrange();
    const net = controlledNetwork();
    await renderSignedIn('vic-viewer', net.fetch, ui(FAST));
    net.state.network = 'down';

    await stop.press();
    // No give-up after N tries: well past the old limit of six, it is still trying.
    await waitFor(() => expect(net.state.stops).toBeGreaterThan(10), { timeout: 10_000 });
    expect(stop.status()).toHaveTextContent(/Cannot reach the Faultline server/);
    expect(stop.status()).toHaveTextContent(stop.pending);
    expect(stop.status()).not.toHaveTextContent(stop.confirmed);
    expect(stopped()).toBe(false);

    net.state.network = 'up';
    await waitFor(() => expect(stopped()).toBe(true), { timeout: 10_000 });
    await waitFor(() => expect(stop.status()).toHaveTextContent(stop.confirmed));
    // Once confirmed it stops sending.
    const sent = net.state.stops;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(net.state.stops).toBe(sent);
  });

  it('stays pending while the server is too slow to answer, and lands once it answers', async () => {
    const { ui, stopped } = await stop.arrange();
    const net = controlledNetwork();
    await renderSignedIn('vic-viewer', net.fetch, ui(SLOW_TIMEOUT));
    net.state.network = 'slow';

    await stop.press();
    await waitFor(() => expect(stop.status()).toHaveTextContent(/did not answer in time/), {
      timeout: 10_000,
    });
    expect(stopped()).toBe(false);
    expect(stop.status()).toHaveTextContent(stop.pending);

    net.state.network = 'up';
    await waitFor(() => expect(stopped()).toBe(true), { timeout: 10_000 });
    await waitFor(() => expect(stop.status()).toHaveTextContent(stop.confirmed));
  });

  it('ends on a 401 and signs the person out through the query client, then lands when signed in again', async () => {
    const { ui, stopped } = await stop.arrange();
    const net = controlledNetwork();
    await renderSignedIn('vic-viewer', net.fetch, ui(FAST));
    // The session ends on the server (signed out elsewhere): the next request gets a real 401.
    const revoked = await server.fetch('/api/v1/session', {
      method: 'DELETE',
      headers: { authorization: `Bearer ${tokenStorage.get() ?? ''}` },
    });
    expect(revoked.status).toBe(204);

    await stop.press();
    await waitFor(() => expect(stop.status()).toHaveTextContent('Sign in again'));
    expect(tokenStorage.get()).toBeNull();
    expect(net.state.stops).toBe(1);
    expect(stopped()).toBe(false);

    tokenStorage.set(await tokenFor(server, 'vic-viewer'), false);
    await stop.press();
    await waitFor(() => expect(stopped()).toBe(true), { timeout: 10_000 });
    await waitFor(() => expect(stop.status()).toHaveTextContent(stop.confirmed));
  });
});

describe('a second press while a stop is under way', () => {
  it('is ignored: one stop, not two in parallel', async () => {
    await startExperiment();
    const net = controlledNetwork();
    const queryClient = await renderSignedIn('sam-sre', net.fetch, <KillSwitch timing={FAST} />);
    net.state.network = 'down';
    await userEvent.click(screen.getByRole('button', { name: /halt all/i }));
    await waitFor(() => expect(net.state.stops).toBeGreaterThan(2));
    await userEvent.keyboard('{Shift>}H{/Shift}');
    await userEvent.click(screen.getByRole('button', { name: /halt all/i }));
    expect(queryClient.getMutationCache().findAll({ mutationKey: STOP_KEY })).toHaveLength(1);
    net.state.network = 'up';
    await screen.findByText('Halted 1 experiment', {}, { timeout: 10_000 });
    const sent = net.state.stops;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(net.state.stops).toBe(sent);
    expect(within(screen.getByRole('status')).getByText('Halted 1 experiment')).toBeInTheDocument();
  });
});
