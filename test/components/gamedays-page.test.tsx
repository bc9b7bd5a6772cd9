import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { tickStep, type Gameday, type TimelineEntry } from '@/domain';
import { GamedayPage } from '@/features/gamedays/gameday-page';
import { GamedayTimeline } from '@/features/gamedays/gameday-timeline';
import { resetGamedayDrafts, useGamedayDrafts } from '@/features/gamedays/gameday-drafts';
import { fakeFetch, json, type FakeHandler } from '../backend/fake-fetch';
import { renderWithBackend } from './render-app';

const NINE = Date.UTC(2025, 0, 6, 9, 0);

function gameday(): Gameday {
  return {
    id: 'g1',
    title: 'Checkout resilience',
    description: '',
    startsAt: NINE,
    endsAt: NINE + 7_200_000,
    participants: [{ name: 'dev-dana', role: 'scribe' }],
    experimentIds: [],
    runbook: [
      {
        id: 's1',
        text: 'Announce the game day',
        experimentId: null,
        tickedBy: null,
        tickedAt: null,
      },
      { id: 's2', text: 'Open the dashboards', experimentId: null, tickedBy: null, tickedAt: null },
    ],
    findings: { broke: '', surprised: '', followUps: [] },
    hypothesisOutcomes: [],
    version: 1,
    createdAt: NINE,
    updatedAt: NINE,
    createdBy: 'sam-sre',
  };
}

const entry = (
  id: string,
  at: number,
  kind: TimelineEntry['kind'],
  text: string,
  by: string | null = null,
): TimelineEntry => ({
  id,
  gamedayId: 'g1',
  at,
  kind,
  experimentId: null,
  text,
  by,
});

afterEach(() => resetGamedayDrafts());

describe('the runbook', () => {
  it('records the person and the time of a tick, as the server answers them', async () => {
    let stored = gameday();
    const tickedAt = NINE + 90_000;
    const tick: FakeHandler = (request) => {
      const stepId = request.path.split('/').at(-1) ?? '';
      const done = (request.body as { done: boolean }).done;
      stored = {
        ...stored,
        runbook: tickStep(stored.runbook, stepId, done, 'dev-dana', tickedAt),
        version: stored.version + 1,
      };
      return json(200, stored);
    };
    const { fetch, calls } = fakeFetch({
      'GET /api/v1/gamedays/g1': () => json(200, stored),
      'GET /api/v1/gamedays/g1/timeline': () => json(200, { entries: [] }),
      'GET /api/v1/experiments': () => json(200, { experiments: [] }),
      'GET /api/v1/me': () =>
        json(200, { user: { name: 'dev-dana', displayName: 'Dana', role: 'developer' } }),
      'POST /api/v1/gamedays/g1/runbook/s2': tick,
    });
    renderWithBackend(<GamedayPage gamedayId="g1" />, fetch);

    const step = await screen.findByRole('checkbox', { name: '2. Open the dashboards' });
    await screen.findByRole('button', { name: 'Save findings' }); // signed-in role known: ticking is enabled
    await userEvent.click(step);

    const runbook = screen.getByRole('region', { name: /Runbook/ });
    expect(await within(runbook).findByText(/Done by dev-dana at/)).toBeInTheDocument();
    expect(
      within(runbook)
        .getByText(/Done by dev-dana at/)
        .querySelector('time'),
    ).toHaveAttribute('dateTime', new Date(tickedAt).toISOString());
    expect(step).toBeChecked();
    expect(screen.getByRole('checkbox', { name: '1. Announce the game day' })).not.toBeChecked();
    expect(runbook).toHaveTextContent('1 of 2 done');
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ done: true });
  });

  it('ticks at once while the server answers, and a double click leaves it ticked', async () => {
    let stored = gameday();
    const answers: (() => void)[] = [];
    const bodies: unknown[] = [];
    const tick: FakeHandler = (request) => {
      const done = (request.body as { done: boolean }).done;
      bodies.push(request.body);
      return new Promise((resolve) =>
        answers.push(() => {
          stored = {
            ...stored,
            runbook: tickStep(stored.runbook, 's2', done, 'dev-dana', NINE + 60_000),
            version: stored.version + 1,
          };
          resolve(json(200, stored));
        }),
      );
    };
    const { fetch } = fakeFetch({
      'GET /api/v1/gamedays/g1': () => json(200, stored),
      'GET /api/v1/gamedays/g1/timeline': () => json(200, { entries: [] }),
      'GET /api/v1/experiments': () => json(200, { experiments: [] }),
      'GET /api/v1/me': () =>
        json(200, { user: { name: 'dev-dana', displayName: 'Dana', role: 'developer' } }),
      'POST /api/v1/gamedays/g1/runbook/s2': tick,
    });
    renderWithBackend(<GamedayPage gamedayId="g1" />, fetch);
    const step = await screen.findByRole('checkbox', { name: '2. Open the dashboards' });
    await screen.findByRole('button', { name: 'Save findings' });
    await userEvent.dblClick(step);
    // Ticked before the server has answered; the second click of the double click is not an untick.
    expect(step).toBeChecked();
    expect(bodies).toEqual([{ done: true }]);
    for (const answer of answers) answer();
    expect(await screen.findByText(/Done by dev-dana at/)).toBeInTheDocument();
    expect(step).toBeChecked();
  });

  it('does not let a viewer tick', async () => {
    const { fetch } = fakeFetch({
      'GET /api/v1/gamedays/g1': () => json(200, gameday()),
      'GET /api/v1/gamedays/g1/timeline': () => json(200, { entries: [] }),
      'GET /api/v1/experiments': () => json(200, { experiments: [] }),
      'GET /api/v1/me': () =>
        json(200, { user: { name: 'vic-viewer', displayName: 'Vic', role: 'viewer' } }),
    });
    renderWithBackend(<GamedayPage gamedayId="g1" />, fetch);
    expect(
      await screen.findByRole('checkbox', { name: '1. Announce the game day' }),
    ).toBeDisabled();
  });
});

describe('the timeline', () => {
  it('orders events and notes by time, and puts a new note in its place', async () => {
    const entries = [
      entry('7', NINE + 5_000, 'note', 'Payments graphs look odd', 'dev-dana'),
      entry('2', NINE, 'started', 'Started “Error burst”', 'sam-sre'),
      entry('6', NINE + 3_000, 'note', 'Error rate climbing', 'vic-viewer'),
      entry('5', NINE + 3_000, 'aborted', '“Error burst” aborted: 5xx rate > 1 % for 2 s'),
      entry(
        '9',
        NINE + 9_000,
        'halt-all',
        'sam-sre pressed halt all: 1 experiment stopped',
        'sam-sre',
      ),
    ];
    const { fetch } = fakeFetch({
      'GET /api/v1/gamedays/g1/timeline': () => json(200, { entries }),
      'POST /api/v1/gamedays/g1/notes': (request) =>
        json(
          201,
          entry('10', NINE + 4_000, 'note', (request.body as { text: string }).text, 'ada-admin'),
        ),
    });
    renderWithBackend(<GamedayTimeline gamedayId="g1" />, fetch);

    const list = await screen.findByRole('list', { name: 'Timeline entries' });
    const texts = () =>
      within(list)
        .getAllByRole('listitem')
        .map((li) => li.textContent ?? '');
    await screen.findByText(/Started “Error burst”/);
    expect(texts()).toEqual([
      expect.stringContaining('Started “Error burst”'),
      expect.stringContaining('aborted: 5xx rate > 1 % for 2 s'),
      expect.stringContaining('Error rate climbing — vic-viewer'),
      expect.stringContaining('Payments graphs look odd — dev-dana'),
      expect.stringContaining('pressed halt all'),
    ]);

    await userEvent.type(
      screen.getByRole('textbox', { name: 'Add a note' }),
      'Rolled back the canary',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Add note' }));
    await screen.findByText(/Rolled back the canary/);
    expect(texts()[3]).toContain('Rolled back the canary — ada-admin');
    expect(screen.getByRole('textbox', { name: 'Add a note' })).toHaveValue('');
  });
});

describe('the timeline of the one abort signal', () => {
  it('shows a rollout held by a chaos abort and one paused by halt all, each with its reason', async () => {
    const held =
      'Rollout “Checkout 2.4.0” (checkout 2.4.0 in staging) held: chaos experiment ' +
      '"Error burst" aborted on checkout in staging: 5xx rate > 1 % for 2 s; resume when it is understood';
    const paused =
      'Rollout “New checkout” (flag new-checkout on checkout in staging) paused by halt all ' +
      '(vic-viewer, staging); flag new-checkout turned off in staging';
    const entries = [
      entry('3', NINE + 3_000, 'rollout-held', held),
      entry('4', NINE + 9_000, 'rollout-paused', paused),
    ];
    const { fetch } = fakeFetch({
      'GET /api/v1/gamedays/g1/timeline': () => json(200, { entries }),
    });
    renderWithBackend(<GamedayTimeline gamedayId="g1" canWrite={false} />, fetch);

    const list = await screen.findByRole('list', { name: 'Timeline entries' });
    await within(list).findByText(held);
    const items = within(list).getAllByRole('listitem');
    expect(items.map((li) => li.textContent)).toEqual([
      expect.stringMatching(/Held.*held: chaos experiment "Error burst" aborted/),
      expect.stringMatching(/Paused.*paused by halt all \(vic-viewer, staging\)/),
    ]);
    expect(within(items[1]!).getByText(paused)).toBeInTheDocument();
  });
});

describe('the findings', () => {
  it('keep what was typed across a reload, then save it with the version and a follow-up owner', async () => {
    let stored: Gameday = { ...gameday(), version: 3 };
    const routes = {
      'GET /api/v1/gamedays/g1': () => json(200, stored),
      'GET /api/v1/gamedays/g1/timeline': () => json(200, { entries: [] }),
      'GET /api/v1/experiments': () => json(200, { experiments: [] }),
      'GET /api/v1/me': () =>
        json(200, { user: { name: 'sam-sre', displayName: 'Sam', role: 'sre' } }),
      'PUT /api/v1/gamedays/g1/findings': ((request) => {
        const body = request.body as { findings: Gameday['findings'] };
        stored = { ...stored, findings: body.findings, version: stored.version + 1 };
        return json(200, stored);
      }) as FakeHandler,
    };
    const first = fakeFetch(routes);
    const view = renderWithBackend(<GamedayPage gamedayId="g1" />, first.fetch);
    await userEvent.type(
      await screen.findByRole('textbox', { name: 'What broke' }),
      'Payments timed out',
    );
    view.unmount();

    const second = fakeFetch(routes);
    renderWithBackend(<GamedayPage gamedayId="g1" />, second.fetch);
    expect(await screen.findByRole('textbox', { name: 'What broke' })).toHaveValue(
      'Payments timed out',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Add a follow-up action' }));
    await userEvent.type(screen.getByRole('textbox', { name: 'Action 1' }), 'Add a retry budget');
    await userEvent.click(screen.getByRole('button', { name: 'Save findings' }));
    expect(await screen.findByText('the owner of a follow-up cannot be empty')).toBeInTheDocument();
    expect(second.calls.some((c) => c.method === 'PUT')).toBe(false);

    await userEvent.type(screen.getByRole('textbox', { name: 'Owner of action 1' }), 'dev-dana');
    await userEvent.click(screen.getByRole('button', { name: 'Save findings' }));
    expect(await screen.findByText('Findings saved.')).toBeInTheDocument();
    expect(second.calls.find((c) => c.method === 'PUT')?.body).toEqual({
      version: 3,
      findings: {
        broke: 'Payments timed out',
        surprised: '',
        followUps: [{ action: 'Add a retry budget', owner: 'dev-dana', done: false }],
      },
      hypothesisOutcomes: [],
    });
    expect(useGamedayDrafts.getState().findings).toEqual({});
  });
});
