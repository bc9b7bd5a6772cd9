import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Experiment } from '@/domain/experiment';
import { createExperiment, mildLatencySpec, startExperiment } from '../mock-server/test-server';
import { renderApp, startAppServer, type AppServer } from './app-harness';

let app: AppServer;
let draft: Experiment;
let running: Experiment;
let halted: Experiment;

beforeEach(async () => {
  app = await startAppServer();
  app.server.advance(5);
  const long = {
    steps: [{ magnitude: 50, durationSeconds: 3600 }],
    environment: 'staging' as const,
  };
  draft = await createExperiment(
    app.server,
    mildLatencySpec({ name: 'Draft on frontend', service: 'frontend', environment: 'development' }),
  );
  running = await startExperiment(
    app.server,
    mildLatencySpec({ ...long, name: 'Running on payments', service: 'payments' }),
  );
  halted = await startExperiment(
    app.server,
    mildLatencySpec({ ...long, name: 'Halted on catalog', service: 'catalog' }),
  );
  const halt = await app.server.call('POST', `/api/v1/experiments/${halted.id}/halt`, {
    body: {},
  });
  expect(halt.statusCode).toBe(200);
});
afterEach(async () => {
  await app.close();
});

async function openList(user: string, path = '/experiments') {
  const rendered = await renderApp(app, user, path);
  await screen.findByRole('heading', { level: 1, name: 'Experiments' }, { timeout: 15_000 });
  return rendered;
}

/** The list's own filters (the header has an environment selector too). */
const filters = () => within(screen.getByRole('group', { name: 'Filters' }));

/** The names in the table, top to bottom (only once it has rows). */
async function names(): Promise<string[]> {
  const table = await screen.findByRole('table');
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map((row) => within(row).getAllByRole('cell')[0]?.textContent ?? '');
}

describe('the experiments list', () => {
  it('lists every experiment, newest first, with its state, service and environment', async () => {
    await openList('vic-viewer');
    expect(await names()).toEqual([
      'Halted on catalog',
      'Running on payments',
      'Draft on frontend',
    ]);
    const row = screen.getByRole('row', { name: /Running on payments/ });
    expect(row).toHaveTextContent(/running.*payments.*staging/i);
    expect(within(row).getByRole('link', { name: 'Running on payments' })).toHaveAttribute(
      'href',
      `/experiments/${running.id}`,
    );
  });

  it('filters by state and environment, keeping the filter in the address', async () => {
    const { router } = await openList('vic-viewer');
    await screen.findByRole('table');
    await userEvent.selectOptions(filters().getByRole('combobox', { name: 'State' }), 'halted');
    await waitFor(() => expect(router.state.location.search).toBe('?state=halted'));
    await waitFor(async () => expect(await names()).toEqual(['Halted on catalog']));

    await userEvent.selectOptions(
      filters().getByRole('combobox', { name: 'Environment' }),
      'production',
    );
    await waitFor(() =>
      expect(router.state.location.search).toBe('?environment=production&state=halted'),
    );
    expect(await screen.findByText('No experiment matches these filters.')).toBeInTheDocument();
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('opens with the filter in the address', async () => {
    await openList('vic-viewer', '/experiments?environment=development');
    expect(await names()).toEqual(['Draft on frontend']);
    expect(filters().getByRole('combobox', { name: 'Environment' })).toHaveValue('development');
    expect(filters().getByRole('combobox', { name: 'State' })).toHaveValue('');
  });

  it('offers a viewer no new experiment', async () => {
    await openList('vic-viewer');
    await screen.findByRole('table');
    expect(screen.queryByRole('link', { name: 'New experiment' })).toBeNull();
  });

  it('offers a new experiment to a developer', async () => {
    await openList('dev-dana');
    expect(await screen.findByRole('link', { name: 'New experiment' })).toHaveAttribute(
      'href',
      '/experiments/new',
    );
  });

  it('fetches an experiment when its row is pointed at, ahead of the click', async () => {
    await openList('vic-viewer');
    await screen.findByRole('table');
    const detail = `GET /api/v1/experiments/${draft.id}`;
    expect(app.requests).not.toContain(detail);
    await userEvent.hover(screen.getByRole('link', { name: 'Draft on frontend' }));
    await waitFor(() => expect(app.requests).toContain(detail));
  });
});
