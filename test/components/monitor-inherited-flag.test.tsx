import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackendProvider } from '@/lib/backend-context';
import { createHttpBackend, type FetchFunction } from '@/backend/http/http-backend';
import { resetLiveMetrics } from '@/lib/live/live-metrics-store';
import type { StopTiming } from '@/lib/use-stop';
import type { Experiment } from '@/domain';
import type { Flag } from '@/domain/flags';
import { InheritedFlag } from '@/features/monitor/inherited-flag';
import { LiveMonitor } from '@/features/monitor/live-monitor';
import { cpuSpec } from '../domain/fixtures';
import { startTestServer, tokenFor, type TestServer } from './designer-harness';

const FAST: StopTiming = { retryDelayMs: () => 20, requestTimeoutMs: 1_000 };

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  resetLiveMetrics();
  await server.close();
});

/** Renders over the real HTTP adapter and the real server in-process, as `user`. */
async function renderAs(user: string, ui: React.ReactNode, fetch: FetchFunction = server.fetch) {
  const token = await tokenFor(server, user);
  const backend = createHttpBackend({ fetch, baseUrl: '', getToken: () => token });
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <BackendProvider backend={backend}>
      <QueryClientProvider client={queryClient}>
        <MemoryRouter>{ui}</MemoryRouter>
      </QueryClientProvider>
    </BackendProvider>,
  );
}

const flagState = async () => {
  const answer = await server.fetch('/api/v1/flags/new-checkout', {
    headers: { authorization: `Bearer ${await tokenFor(server, 'vic-viewer')}` },
  });
  return ((await answer.json()) as Flag).environments.staging.state;
};

/** The kill request waits until the test lets it through; the rest goes straight to the server. */
function holdingKills() {
  let release = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  const fetch: FetchFunction = async (input, init) => {
    if (input.includes('/kill')) await gate;
    return server.fetch(input, init);
  };
  return { fetch, release: () => release() };
}

describe("the monitor's flag switch", () => {
  it('turns the flag off for a viewer once confirmed, pending until the server confirms', async () => {
    const held = holdingKills();
    await renderAs(
      'vic-viewer',
      <InheritedFlag flagKey="new-checkout" environment="staging" timing={FAST} />,
      held.fetch,
    );
    const panel = within(screen.getByRole('region', { name: 'Inherited flag' }));
    await panel.findByText('on');

    await userEvent.click(panel.getByRole('button', { name: 'Turn off new-checkout in staging' }));
    await userEvent.click(screen.getByRole('button', { name: 'Turn off now' }));
    const status = panel.getByRole('status', { name: 'new-checkout in staging' });
    expect(status).toHaveTextContent('Switching…');
    expect(status).not.toHaveTextContent(/is off/);
    expect(await flagState()).toBe('on');

    held.release();
    await waitFor(() => expect(status).toHaveTextContent('new-checkout is off in staging'));
    expect(await flagState()).toBe('off');
    await panel.findByText('off');
    // Only stopping belongs on the monitor: no way back on from here.
    expect(panel.queryByRole('button', { name: /Turn on/ })).toBeNull();
  });

  it('keeps trying through a network failure and says off only once the server has answered', async () => {
    let failures = 1;
    const flaky: FetchFunction = async (input, init) => {
      if (input.includes('/kill') && failures-- > 0) throw new TypeError('network down');
      return server.fetch(input, init);
    };
    await renderAs(
      'sam-sre',
      <InheritedFlag flagKey="new-checkout" environment="staging" timing={FAST} />,
      flaky,
    );
    const panel = within(screen.getByRole('region', { name: 'Inherited flag' }));
    await panel.findByText('on');
    await userEvent.click(panel.getByRole('button', { name: 'Turn off new-checkout in staging' }));
    await userEvent.click(screen.getByRole('button', { name: 'Turn off now' }));
    await waitFor(() =>
      expect(panel.getByRole('status', { name: 'new-checkout in staging' })).toHaveTextContent(
        'new-checkout is off in staging',
      ),
    );
    expect(await flagState()).toBe('off');
  });
});

describe('the live monitor of an experiment inheriting its blast radius from a flag', () => {
  it('labels its lines and readings by cohort and offers the flag kill switch', async () => {
    const token = await tokenFor(server, 'sam-sre');
    const post = (url: string, body: object) =>
      server.faultline.app.inject({
        method: 'POST',
        url,
        headers: { authorization: `Bearer ${token}` },
        payload: body,
      });
    const created = (
      await post(
        '/api/v1/experiments',
        cpuSpec({
          blastRadius: {
            scope: 'hosts',
            selector: {},
            mode: 'all',
            source: { kind: 'flag', flagKey: 'new-checkout' },
          },
        }),
      )
    ).json() as Experiment;
    const started = await post(`/api/v1/experiments/${created.id}/start`, { version: 1 });
    expect(started.statusCode, started.body).toBe(200);
    server.tick(20);

    await renderAs(
      'sam-sre',
      <LiveMonitor experiment={started.json() as Experiment} chartWidth={480} />,
    );
    const legend = screen.getByRole('list', { name: 'Chart legend' });
    expect(legend).toHaveTextContent('flag on (users served flag new-checkout)');
    expect(legend).toHaveTextContent('flag off (everyone else)');
    const cpu = within(screen.getByRole('figure', { name: /^CPU/ }));
    await waitFor(() =>
      expect(cpu.getByRole('img', { name: 'flag on line' }).getAttribute('d')).toMatch(/L/),
    );
    expect(cpu.getByRole('img', { name: 'flag off line' })).toBeInTheDocument();
    expect(cpu.queryByRole('img', { name: 'target line' })).toBeNull();
    expect(cpu.getByText(/^flag on \d/)).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Inherited flag' })).toHaveTextContent(
      'Blast radius inherited from flag new-checkout',
    );
  });
});
