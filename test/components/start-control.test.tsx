import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { queryKeys } from '@/backend/query-keys';
import type { Role } from '@/domain/roles';
import { ExperimentHeader } from '@/features/experiments/experiment-header';
import type { Experiment } from '@/domain/experiment';
import { apiError, fakeFetch, json } from '../backend/fake-fetch';
import { cpuExperiment, runningExperiment, USERS } from '../backend/fixtures';
import { renderWithBackend } from './render-app';

async function renderAs(
  role: Role,
  experiment: Experiment,
  start = () => json(200, runningExperiment(Date.now(), { id: experiment.id })),
) {
  const fake = fakeFetch({
    'GET /api/v1/me': () => json(200, { user: USERS[role] }),
    [`POST /api/v1/experiments/${experiment.id}/start`]: start,
  });
  const rendered = renderWithBackend(<ExperimentHeader experiment={experiment} />, fake.fetch);
  await waitFor(() =>
    expect(rendered.queryClient.getQueryState(queryKeys.me)?.status).toBe('success'),
  );
  return { ...rendered, calls: fake.calls };
}

describe('starting an experiment', () => {
  it('offers no Start to a viewer', async () => {
    await renderAs('viewer', cpuExperiment());
    expect(screen.queryByRole('button', { name: 'Start' })).not.toBeInTheDocument();
  });

  it('offers no Start to a developer, who may design but not run', async () => {
    await renderAs('developer', cpuExperiment());
    expect(screen.queryByRole('button', { name: 'Start' })).not.toBeInTheDocument();
  });

  it('offers Start to an SRE and sends the version it was looking at', async () => {
    const experiment = cpuExperiment({ version: 3 });
    const { calls } = await renderAs('sre', experiment);
    await userEvent.click(screen.getByRole('button', { name: 'Start' }));
    await waitFor(() => expect(calls.some((c) => c.path.endsWith('/start'))).toBe(true));
    expect(calls.find((c) => c.path.endsWith('/start'))?.body).toEqual({ version: 3 });
  });

  it('offers Halt, not Start, to anyone while the experiment runs', async () => {
    await renderAs('viewer', runningExperiment(Date.now()));
    expect(screen.getByRole('button', { name: 'Halt' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Start' })).not.toBeInTheDocument();
  });

  it('in production, starts only once the environment name is typed, and sends it', async () => {
    const experiment = cpuExperiment({ environment: 'production' });
    const { calls } = await renderAs('admin', experiment);
    const start = screen.getByRole('button', { name: 'Start' });
    expect(start).toBeDisabled();
    await userEvent.type(screen.getByRole('textbox', { name: /type production/i }), 'productio');
    expect(start).toBeDisabled();
    await userEvent.type(screen.getByRole('textbox', { name: /type production/i }), 'n');
    await userEvent.click(start);
    await waitFor(() =>
      expect(calls.find((c) => c.path.endsWith('/start'))?.body).toEqual({
        version: 1,
        confirmEnvironment: 'production',
      }),
    );
  });

  it('halts a running experiment with one press, for a viewer too', async () => {
    const experiment = runningExperiment(Date.now());
    const fake = fakeFetch({
      'GET /api/v1/me': () => json(200, { user: USERS.viewer }),
      [`POST /api/v1/experiments/${experiment.id}/halt`]: () =>
        json(200, { ...experiment, state: 'halted', version: experiment.version + 1 }),
    });
    const rendered = renderWithBackend(<ExperimentHeader experiment={experiment} />, fake.fetch);
    await userEvent.click(screen.getByRole('button', { name: 'Halt' }));
    await waitFor(() =>
      expect(rendered.queryClient.getQueryData(queryKeys.experiment(experiment.id))).toMatchObject({
        state: 'halted',
      }),
    );
    expect(fake.calls.filter((c) => c.path.endsWith('/halt'))).toHaveLength(1);
  });

  it('shows why the server refused to start, next to the button', async () => {
    const reason = 'the 5xx rate of checkout is already above 1 %: fix the steady state first';
    await renderAs('sre', cpuExperiment(), () =>
      apiError(422, 'start_refused', 'start refused', { reason }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Start' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(`Start refused: ${reason}`);
  });
});
