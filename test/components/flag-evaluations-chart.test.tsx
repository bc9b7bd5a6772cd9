import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackendProvider } from '@/lib/backend-context';
import { createHttpBackend } from '@/backend/http/http-backend';
import { resetLiveMetrics } from '@/lib/live/live-metrics-store';
import { FLAG_SERVICE, type Experiment } from '@/domain';
import { LiveMonitor } from '@/features/monitor/live-monitor';
import { SIMULATED_FLAG_EVALUATIONS } from '../../mock-server/simulation/simulation-backend';
import { cpuSpec } from '../domain/fixtures';
import { startTestServer, tokenFor, type TestServer } from './designer-harness';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
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
  const backend = createHttpBackend({ fetch: server.fetch, baseUrl: '', getToken: () => token });
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <BackendProvider backend={backend}>
      <QueryClientProvider client={queryClient}>
        <LiveMonitor experiment={experiment} chartWidth={480} />
      </QueryClientProvider>
    </BackendProvider>,
  );
}

describe("the monitor's flag evaluations", () => {
  it('explains, on an experiment on the flag service, why the simulated fleet has none to show', async () => {
    const experiment = await started(
      cpuSpec({
        name: 'Flag service errors in staging',
        service: FLAG_SERVICE,
        blastRadius: { scope: 'hosts', selector: {}, mode: 'all', source: { kind: 'selector' } },
        attack: { type: 'error' },
        steps: [{ magnitude: 100, durationSeconds: 600 }],
      }),
    );
    await renderMonitor(experiment);
    const panel = within(await screen.findByRole('region', { name: 'Flag evaluations' }));
    expect(panel.getByText(/Evaluations per second of the services in staging/)).toBeVisible();
    expect(panel.getByText(/the fallback value was served/)).toBeInTheDocument();
    expect(await panel.findByText(SIMULATED_FLAG_EVALUATIONS)).toBeInTheDocument();
    expect(panel.queryByRole('status', { name: 'Fallback now' })).toBeNull();
    // Asked of the whole environment: the flag service's clients are every service in it.
    expect(server.requests).toContain('GET /api/v1/flag-evaluations');
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
