import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Experiment } from '@/domain';
import { createExperiment, cpuSpec } from '../mock-server/test-server';
import { renderApp, startAppServer, type AppServer } from './app-harness';

let app: AppServer;
beforeEach(async () => {
  app = await startAppServer();
  // Some history first, so the start's steady-state check has readings.
  app.server.advance(5);
});
afterEach(async () => {
  await app.close();
});

/** CPU pressure of 50 % on checkout in staging, aborting as soon as the targets pass 60 % CPU. */
async function abortsAtOnce(): Promise<Experiment> {
  return createExperiment(
    app.server,
    cpuSpec({
      name: 'Immediate abort on checkout',
      abortConditions: [
        {
          kind: 'threshold',
          metric: 'cpu',
          comparator: '>',
          threshold: 60,
          windowSeconds: 0,
          scope: 'target',
        },
      ],
    }),
  );
}

async function openExperiment(experiment: Experiment) {
  const rendered = await renderApp(app, 'sam-sre', `/experiments/${experiment.id}`);
  // The route's code loads lazily, the first time slowly on a busy machine.
  await screen.findByRole('heading', { level: 1, name: experiment.name }, { timeout: 15_000 });
  return rendered;
}

const stagingRow = () =>
  within(screen.getByRole('region', { name: 'Results per environment' })).getByRole('row', {
    name: /^staging/,
  });

const statusOf = () => screen.getByRole('region', { name: 'Experiment status' });

describe('an experiment page after an immediate abort', () => {
  it('shows the abort although the start’s answer arrives after it', async () => {
    const experiment = await abortsAtOnce();
    const { queryClient } = await openExperiment(experiment);
    await waitFor(() => expect(stagingRow()).toHaveTextContent('draft'), { timeout: 15_000 });

    const release = app.hold(/^POST \/api\/v1\/experiments\/[^/]+\/start/, 'answer-held');
    await userEvent.click(screen.getByRole('button', { name: 'Start' }));
    await waitFor(() => expect(app.server.experiment(experiment.id).state).toBe('running'));
    // The first beat aborts the run; the stream carries the abort before the start's answer.
    await app.advance(2);
    expect(app.server.experiment(experiment.id).state).toBe('aborted');
    await waitFor(() => expect(statusOf()).toHaveTextContent(/^Aborted at/));

    release();
    await waitFor(() => expect(queryClient.isMutating()).toBe(0));
    await waitFor(() => expect(queryClient.isFetching()).toBe(0));
    expect(within(statusOf()).getByRole('alert')).toHaveTextContent(/^Aborted at .*CPU > 60 %/);
    expect(stagingRow()).toHaveTextContent(/aborted.*3 of 12; aborted: CPU > 60 %/);
  });

  it('shows the abort in results per environment although their first answer was read before it', async () => {
    const experiment = await abortsAtOnce();
    const lineage = new RegExp(`^GET /api/v1/experiments\\?lineageId=${experiment.lineageId}`);
    const releaseRequest = app.hold(lineage, 'request-held');
    const releaseAnswer = app.hold(lineage, 'answer-held');
    const { queryClient } = await openExperiment(experiment);

    await userEvent.click(screen.getByRole('button', { name: 'Start' }));
    await waitFor(() => expect(statusOf()).toHaveTextContent(/^Running: /));
    // The server reads the lineage while the run is on; the answer is still on its way.
    releaseRequest();
    await waitFor(() => expect(app.answered).toContainEqual(expect.stringMatching(lineage)));
    await app.advance(2);
    await waitFor(() => expect(statusOf()).toHaveTextContent(/^Aborted at/));

    releaseAnswer();
    await waitFor(() => expect(queryClient.isFetching()).toBe(0));
    expect(stagingRow()).toHaveTextContent(/aborted.*3 of 12; aborted: CPU > 60 %/);
  });
});
