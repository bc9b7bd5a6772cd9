import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Experiment } from '@/domain';
import { cpuOnEveryInstance, mildLatencySpec, startExperiment } from '../mock-server/test-server';
import { renderApp, startAppServer, type AppServer } from './app-harness';

let app: AppServer;
beforeEach(async () => {
  app = await startAppServer();
  // Some history first, so the starts' steady-state checks have readings.
  app.server.advance(5);
});
afterEach(async () => {
  await app.close();
});

async function openExperiment(experiment: Experiment) {
  await renderApp(app, 'sam-sre', `/experiments/${experiment.id}`);
  // The route's code loads lazily, the first time slowly on a busy machine.
  await screen.findByRole('heading', { level: 1, name: experiment.name }, { timeout: 15_000 });
  return screen.getByRole('region', { name: 'Experiment status' });
}

describe("the judge's verdict in an experiment's summary", () => {
  it('says the hypothesis did not hold when 300 ms on the target shows, with the numbers', async () => {
    const slow = await startExperiment(
      app.server,
      mildLatencySpec({ steps: [{ magnitude: 300, durationSeconds: 60 }] }),
    );
    app.server.advance(62);
    expect(app.server.experiment(slow.id).run?.verdict?.outcome).toBe('not-held');

    const status = await openExperiment(slow);
    const verdict = await within(status).findByRole('region', { name: 'Hypothesis verdict' });
    expect(verdict).toHaveTextContent(/^The hypothesis did not hold/);
    const latency = within(verdict)
      .getAllByRole('listitem')
      .find((item) => item.textContent?.startsWith('p99 latency'));
    expect(latency).toHaveTextContent(
      /target p99 latency \d+ ms vs control \d+ ms, \+\d+ ms \[\d+, \d+\], p < 0\.001, \d+ samples each/,
    );
  });

  it('says the hypothesis held when the target is no worse than the control', async () => {
    const mild = await startExperiment(
      app.server,
      mildLatencySpec({ service: 'catalog', steps: [{ magnitude: 1, durationSeconds: 60 }] }),
    );
    app.server.advance(62);

    const status = await openExperiment(mild);
    const verdict = await within(status).findByRole('region', { name: 'Hypothesis verdict' });
    expect(verdict).toHaveTextContent(/^The hypothesis held/);
    expect(within(verdict).getAllByRole('listitem')).toHaveLength(3);
    expect(verdict).not.toHaveTextContent('✗');
  });

  it('says an aborted run did not hold, naming the condition before the judge’s numbers', async () => {
    const aborted = await startExperiment(app.server, cpuOnEveryInstance(65));
    app.server.advance(30);
    expect(app.server.experiment(aborted.id).state).toBe('aborted');

    const status = await openExperiment(aborted);
    const verdict = await within(status).findByRole('region', { name: 'Hypothesis verdict' });
    expect(verdict).toHaveTextContent(
      /^The hypothesis did not hold \(the run aborted on "CPU > 65 % for 5 s"; over the whole run, target against control:\)/,
    );
  });

  it('gives no verdict while the run goes on', async () => {
    const running = await startExperiment(app.server, mildLatencySpec());
    const status = await openExperiment(running);
    await waitFor(() => expect(status).toHaveTextContent(/^Running: /));
    expect(within(status).queryByRole('region', { name: 'Hypothesis verdict' })).toBeNull();
  });
});
