import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ThemeToggle } from '@/components/theme-toggle';
import type { Experiment } from '@/domain';
import { ExperimentsTable } from '@/features/experiments/experiments-table';
import { resetDrafts } from '@/features/experiments/designer/draft-store';
import { blankPlan } from '@/features/gamedays/plan-draft';
import { fromLocalInput } from '@/features/gamedays/when';
import { resetViewSettings } from '@/lib/view-settings';
import { RecentStops } from '@/features/overview/recent-stops';
import { fakeFetch, json } from '../backend/fake-fetch';
import { cpuSpec } from '../domain/fixtures';
import { renderDesigner, startTestServer, tokenFor, type TestServer } from './designer-harness';
import { renderWithBackend } from './render-app';

const user = () => userEvent.setup({ delay: null });

describe('the theme button', () => {
  afterEach(() => resetViewSettings());
  it('names the theme it switches to', async () => {
    renderWithBackend(<ThemeToggle />, fakeFetch({}).fetch);
    await user().click(screen.getByRole('button', { name: 'Light theme' }));
    expect(screen.getByRole('button', { name: 'Dark theme' })).toBeInTheDocument();
    expect(document.documentElement).toHaveClass('light');
  });
});

describe('the experiments list', () => {
  it('names a shutdown once, without repeating it as a magnitude', () => {
    const spec = cpuSpec({ attack: { type: 'shutdown' }, steps: [{ durationSeconds: 10 }] });
    const experiment = {
      ...spec,
      id: 'e1',
      lineageId: 'e1',
      state: 'draft',
      version: 1,
      createdAt: 0,
      updatedAt: 0,
      createdBy: 'sam-sre',
      run: null,
    } as unknown as Experiment;
    renderWithBackend(<ExperimentsTable experiments={[experiment]} />, fakeFetch({}).fetch);
    const row = screen.getByRole('row', { name: /CPU|checkout/ });
    expect(row).toHaveTextContent(/Instance shutdown/);
    expect(row).not.toHaveTextContent(/Instance shutdown\s*instance shutdown/i);
  });
});

describe("a new game day's window", () => {
  it('starts now (to the minute), so what happens from now on is on its timeline', () => {
    const now = Date.UTC(2025, 0, 6, 9, 41, 30);
    const plan = blankPlan(now, 'sam-sre');
    expect(fromLocalInput(plan.startsAt)).toBe(Date.UTC(2025, 0, 6, 9, 41));
  });
});

describe('the designer', () => {
  let server: TestServer;
  beforeEach(async () => {
    localStorage.clear();
    resetDrafts();
    server = await startTestServer();
  });
  afterEach(() => server.close());

  it('gives a template picked before the service its subject once the service is chosen', async () => {
    await renderDesigner(server, await tokenFor(server, 'dev-dana'));
    await user().click(screen.getByText('Start from a template'));
    await user().click(screen.getByRole('button', { name: /^CPU pressure/ }));
    await user().selectOptions(screen.getByLabelText('Service'), 'checkout');
    await waitFor(() =>
      expect(screen.getByLabelText('Hypothesis')).toHaveValue(
        'checkout keeps its 5xx rate under 1 % while a quarter of its containers are CPU-starved.',
      ),
    );
    expect(screen.getByLabelText('Name')).toHaveValue('CPU pressure on checkout');
  });

  it('tells a viewer why Save draft is disabled', async () => {
    await renderDesigner(server, await tokenFor(server, 'vic-viewer'));
    const save = screen.getByRole('button', { name: 'Save draft' });
    expect(save).toBeDisabled();
    expect(save).toHaveAccessibleDescription(
      'A viewer cannot save or start experiments: ask a developer, an SRE or an admin.',
    );
  });
});

describe('the overview’s recent stops', () => {
  it('dates each stop, not only its time of day', async () => {
    const ended = Date.UTC(2025, 0, 6, 9, 41, 30);
    const spec = cpuSpec();
    const condition = spec.abortConditions[0];
    const experiment = {
      ...spec,
      id: 'e1',
      lineageId: 'e1',
      state: 'aborted',
      version: 3,
      createdAt: ended - 600_000,
      updatedAt: ended,
      createdBy: 'sam-sre',
      run: {
        startedAt: ended - 60_000,
        startedBy: 'sam-sre',
        targets: ['checkout-staging-h0-c0'],
        matchingCount: 12,
        stepIndex: 0,
        endedAt: ended,
        outcome: {
          kind: 'aborted',
          at: ended,
          conditionIndex: 0,
          condition,
          description: '5xx rate > 1 % for 10 s',
          value: 2,
          latest: 2,
        },
      },
    };
    const { fetch } = fakeFetch({
      'GET /api/v1/experiments': (request) =>
        json(200, { experiments: request.query.get('state') === 'aborted' ? [experiment] : [] }),
    });
    renderWithBackend(<RecentStops />, fetch);
    const item = await screen.findByRole('listitem');
    const day = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' }).format(
      ended,
    );
    expect(item.querySelector('time')).toHaveTextContent(day);
  });
});
