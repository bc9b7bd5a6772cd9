import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BackendProvider } from '@/lib/backend-context';
import { createHttpBackend, type FetchFunction } from '@/backend/http/http-backend';
import { resetLiveMetrics } from '@/lib/live/live-metrics-store';
import { FLAG_SERVICE, type Experiment } from '@/domain';
import { LiveMonitor } from '@/features/monitor/live-monitor';
import { SIMULATED_FLAG_EVALUATIONS } from '../../mock-server/simulation/simulation-backend';
import { cpuSpec } from '../domain/fixtures';
import { startTestServer, tokenFor, type TestServer } from './designer-harness';

let server: TestServer;
/** The flag-evaluation queries the monitor sent, as the server read them. */
let asked: URLSearchParams[];
beforeEach(async () => {
  server = await startTestServer();
  asked = [];
});
afterEach(async () => {
  vi.useRealTimers();
  resetLiveMetrics();
  await server.close();
});

/** Creates and starts `spec` on the real server as an SRE; answers the running experiment. */
async function started(spec: object): Promise<Experiment> {
  const token = await tokenFor(server, 'sam-sre');
  const post = (url: string, body: object) =>
    server.faultline.app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${token}` },
      payload: body,
    });
  const created = (await post('/api/v1/experiments', spec)).json() as Experiment;
  const answer = await post(`/api/v1/experiments/${created.id}/start`, { version: 1 });
  expect(answer.statusCode, answer.body).toBe(200);
  server.tick(5);
  return answer.json() as Experiment;
}

async function renderMonitor(experiment: Experiment) {
  const token = await tokenFor(server, 'vic-viewer');
  const fetch: FetchFunction = (input, init) => {
    const url = new URL(input, 'http://127.0.0.1');
    if (url.pathname === '/api/v1/flag-evaluations') asked.push(url.searchParams);
    return server.fetch(input, init);
  };
  const backend = createHttpBackend({ fetch, baseUrl: '', getToken: () => token });
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <BackendProvider backend={backend}>
      <QueryClientProvider client={queryClient}>
        <LiveMonitor experiment={experiment} chartWidth={480} />
      </QueryClientProvider>
    </BackendProvider>,
  );
}

/** Errors on staging's flag service, on all its hosts. */
const flagServiceErrors = () =>
  cpuSpec({
    name: 'Flag service errors in staging',
    service: FLAG_SERVICE,
    blastRadius: { scope: 'hosts', selector: {}, mode: 'all', source: { kind: 'selector' } },
    attack: { type: 'error' },
    steps: [{ magnitude: 100, durationSeconds: 600 }],
  });

describe("the monitor's flag evaluations", () => {
  it('explains, on an experiment on the flag service, why the simulated fleet has none to show', async () => {
    const experiment = await started(flagServiceErrors());
    await renderMonitor(experiment);
    const panel = within(await screen.findByRole('region', { name: 'Flag evaluations' }));
    expect(panel.getByText(/Evaluations per second of the services in staging/)).toBeVisible();
    expect(panel.getByText(/the fallback value was served/)).toBeInTheDocument();
    expect(await panel.findByText(SIMULATED_FLAG_EVALUATIONS)).toBeInTheDocument();
    expect(panel.queryByRole('status', { name: 'Fallback now' })).toBeNull();
    // Asked of the whole environment: the flag service's clients are every service in it.
    expect(server.requests).toContain('GET /api/v1/flag-evaluations');
  });

  it("asks a finished run's evaluations up to a minute past its end, not up to now", async () => {
    const running = await started(cpuSpec());
    const token = await tokenFor(server, 'sam-sre');
    const halted = await server.faultline.app.inject({
      method: 'POST',
      url: `/api/v1/experiments/${running.id}/halt`,
      headers: { authorization: `Bearer ${token}` },
      payload: {},
    });
    const experiment = halted.json() as Experiment;
    const endedAt = experiment.run?.endedAt;
    expect(endedAt).toEqual(expect.any(Number));
    await renderMonitor(experiment);
    await expect.poll(() => asked.length).toBe(1);
    expect(Object.fromEntries(asked[0]!)).toEqual({
      environment: 'staging',
      service: 'checkout',
      since: String(running.run!.startedAt - 5 * 60_000),
      until: String(endedAt! + 60_000),
    });
  });

  it("asks a running experiment's evaluations up to now: no until", async () => {
    const experiment = await started(cpuSpec());
    await renderMonitor(experiment);
    await expect.poll(() => asked.length).toBe(1);
    expect(asked[0]!.has('since')).toBe(true);
    expect(asked[0]!.has('until')).toBe(false);
  });

  it("asks a running experiment's evaluations once, not every 5 s, when the source cannot count them", async () => {
    const experiment = await started(flagServiceErrors());
    expect(experiment.state).toBe('running');
    // The browser's intervals move only when the test says: a refetch every 5 s would show.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    await renderMonitor(experiment);
    const panel = within(await screen.findByRole('region', { name: 'Flag evaluations' }));
    expect(await panel.findByText(SIMULATED_FLAG_EVALUATIONS)).toBeInTheDocument();
    const asks = () => server.requests.filter((r) => r === 'GET /api/v1/flag-evaluations').length;
    expect(asks()).toBe(1);
    for (let second = 5; second <= 30; second += 5) {
      await vi.advanceTimersByTimeAsync(5_000);
      // Lets a request sent on that beat reach the server and come back.
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(asks()).toBe(1);
  });

  it('shows no panel on an experiment whose service evaluates no flag', async () => {
    const experiment = await started(cpuSpec());
    await renderMonitor(experiment);
    await screen.findByRole('region', { name: 'Live monitor' });
    // The answer came (the request went out) and said: no series, so no panel.
    await expect
      .poll(() => server.requests.filter((r) => r === 'GET /api/v1/flag-evaluations').length)
      .toBe(1);
    expect(screen.queryByRole('region', { name: 'Flag evaluations' })).toBeNull();
  });
});
