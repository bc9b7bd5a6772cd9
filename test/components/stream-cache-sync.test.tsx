import { QueryObserver } from '@tanstack/react-query';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Experiment } from '@/domain/experiment';
import { experimentListQuery } from '@/lib/queries/experiments';
import { useConnection } from '@/lib/live/connection-store';
import { mildLatencySpec, startExperiment } from '../mock-server/test-server';
import { renderApp, startAppServer, type AppServer } from './app-harness';

let app: AppServer;
beforeEach(async () => {
  app = await startAppServer();
  app.server.advance(5);
});
afterEach(async () => {
  await app.close();
});

/** Long, harmless experiments on four services in staging. */
async function running(): Promise<Experiment[]> {
  const long = { steps: [{ magnitude: 50, durationSeconds: 3600 }] };
  const started: Experiment[] = [];
  for (const service of ['checkout', 'payments', 'catalog', 'frontend'])
    started.push(
      await startExperiment(
        app.server,
        mildLatencySpec({ ...long, name: `Latency on ${service}`, service }),
      ),
    );
  return started;
}

/** The experiment list requests the browser side sent, "GET /api/v1/experiments?…". */
const listRequests = () => app.requests.filter((r) => /^GET \/api\/v1\/experiments(\?|$)/.test(r));

describe('the cache after a halt of several experiments', () => {
  it('patches the lists that hold them and asks once for the one that gains them', async () => {
    const experiments = await running();
    // The overview holds the running, aborted and halted lists; the whole list is held too.
    const { queryClient, backend } = await renderApp(app, 'sam-sre', '/');
    const all = new QueryObserver(queryClient, experimentListQuery(backend));
    const stopObserving = all.subscribe(() => {});
    const runningSection = () => screen.getByRole('region', { name: /Running now/ });
    await waitFor(() => expect(runningSection()).toHaveTextContent('Running now (4)'), {
      timeout: 15_000,
    });
    await waitFor(() => expect(useConnection.getState().state).toBe('live'));
    await waitFor(() => expect(queryClient.isFetching()).toBe(0));
    await waitFor(() => expect(all.getCurrentResult().data).toHaveLength(4));
    const before = listRequests().length;

    await userEvent.click(screen.getByRole('button', { name: /halt all/i }));
    await screen.findByText('Halted 4 experiments', {}, { timeout: 10_000 });
    const stops = screen.getByRole('region', { name: 'Recent aborts and halts' });
    await waitFor(() => expect(within(stops).getAllByRole('listitem')).toHaveLength(4));
    await waitFor(() => expect(queryClient.isFetching()).toBe(0));
    // Let anything queued behind the burst go out.
    await new Promise((resolve) => setTimeout(resolve, 50));

    expect(runningSection()).toHaveTextContent('Running now (0)');
    expect(all.getCurrentResult().data?.map((e) => e.state)).toEqual([
      'halted',
      'halted',
      'halted',
      'halted',
    ]);
    for (const { id } of experiments)
      expect(queryClient.getQueryData<Experiment>(['experiments', id])?.state ?? 'halted').toBe(
        'halted',
      );
    // Four events arrived; the running and whole lists were patched from them, the aborted
    // list was untouched, and only the halted list, which gained members, was asked again.
    expect(listRequests().slice(before)).toEqual(['GET /api/v1/experiments?state=halted']);
    stopObserving();
  });
});
