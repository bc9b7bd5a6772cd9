import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AuditEntry } from '@/domain';
import { AuditPage } from '@/features/audit/audit-page';
import { fakeFetch, json } from '../backend/fake-fetch';
import { renderWithBackend } from './render-app';

const NINE = Date.UTC(2025, 0, 6, 9, 0);

const rows: AuditEntry[] = [
  {
    id: 12,
    at: NINE + 2_000,
    actor: 'vic-viewer',
    role: 'viewer',
    action: 'experiment.halt',
    targetType: 'experiment',
    targetId: 'exp-1',
    before: { state: 'running', version: 2 },
    after: { state: 'halted', version: 3 },
  },
  {
    id: 11,
    at: NINE + 1_000,
    actor: 'sam-sre',
    role: 'sre',
    action: 'gameday.create',
    targetType: 'gameday',
    targetId: 'gd_1',
    before: null,
    after: { title: 'Checkout' },
  },
];

afterEach(() => vi.restoreAllMocks());

describe('the audit page', () => {
  it('lists who did what, with the fields an edit changed', async () => {
    const { fetch } = fakeFetch({ 'GET /api/v1/audit': () => json(200, { entries: rows }) });
    renderWithBackend(<AuditPage />, fetch, { path: '/audit' });
    const table = await screen.findByRole('table', { name: 'Audit log, newest first' });
    // The log's own rows, not the rows of the change tables inside them.
    const [halt, create] = [...table.querySelectorAll<HTMLElement>(':scope > tbody > tr')];
    if (!halt || !create) throw new Error('two rows expected');
    expect(halt).toHaveTextContent('vic-viewer');
    expect(within(halt).getByRole('row', { name: 'state running halted' })).toBeInTheDocument();
    expect(halt).not.toHaveTextContent('version');
    expect(create).toHaveTextContent('created');
  });

  it('shows changed fields side by side, times as times, targets as links', async () => {
    const started = NINE - 60_000;
    const entries: AuditEntry[] = [
      {
        id: 20,
        at: NINE,
        actor: 'sam-sre',
        role: 'sre',
        action: 'experiment.abort',
        targetType: 'experiment',
        targetId: 'exp-7',
        before: {
          state: 'running',
          version: 3,
          run: { startedAt: started, endedAt: null, outcome: null, targets: ['a', 'b'] },
        },
        after: {
          state: 'aborted',
          version: 4,
          run: {
            startedAt: started,
            endedAt: NINE,
            outcome: { kind: 'aborted', description: '5xx rate > 1 % for 10 s' },
            targets: ['a', 'b'],
          },
        },
      },
    ];
    const { fetch } = fakeFetch({ 'GET /api/v1/audit': () => json(200, { entries }) });
    renderWithBackend(<AuditPage />, fetch, { path: '/audit' });
    const changes = await screen.findByRole('table', { name: 'Changes to experiment exp-7' });
    const rows = within(changes)
      .getAllByRole('row')
      .slice(1)
      .map((row) => [...row.querySelectorAll('th, td')].map((c) => c.textContent));
    const ended = new Intl.DateTimeFormat(undefined, {
      year: 'numeric',
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hour12: false,
    }).format(NINE);
    expect(rows).toEqual([
      ['state', 'running', 'aborted'],
      ['run.endedAt', '—', ended],
      ['run.outcome.kind', '—', 'aborted'],
      ['run.outcome.description', '—', '5xx rate > 1 % for 10 s'],
    ]);
    expect(screen.queryByText(String(NINE))).toBeNull();
    expect(screen.getByRole('link', { name: 'experiment exp-7' })).toHaveAttribute(
      'href',
      '/experiments/exp-7',
    );
  });

  it('sends the filters to the server and keeps them in the address', async () => {
    const { fetch, calls } = fakeFetch({ 'GET /api/v1/audit': () => json(200, { entries: [] }) });
    renderWithBackend(<AuditPage />, fetch, { path: '/audit' });
    await screen.findByText('No entry matches these filters.');
    await userEvent.type(screen.getByRole('textbox', { name: 'Person' }), 'sam-sre');
    await userEvent.type(screen.getByRole('combobox', { name: 'Action' }), 'gameday');
    await userEvent.click(screen.getByRole('button', { name: 'Apply filters' }));
    await screen.findByDisplayValue('sam-sre');
    const last = calls.at(-1);
    expect(last?.query.get('actor')).toBe('sam-sre');
    expect(last?.query.get('action')).toBe('gameday');
    expect(last?.query.get('limit')).toBe('100');
  });

  it('says next to the field when the time range ends before it starts, and asks nothing', async () => {
    const { fetch, calls } = fakeFetch({ 'GET /api/v1/audit': () => json(200, { entries: [] }) });
    const { container } = renderWithBackend(<AuditPage />, fetch, { path: '/audit' });
    await screen.findByText('No entry matches these filters.');
    const requests = calls.length;
    const from = container.querySelector<HTMLInputElement>('#audit-filter-since')!;
    const until = container.querySelector<HTMLInputElement>('#audit-filter-until')!;
    await userEvent.type(from, '2025-01-06T10:00');
    await userEvent.type(until, '2025-01-06T09:00');
    await userEvent.click(screen.getByRole('button', { name: 'Apply filters' }));
    expect(
      await screen.findByText('the end of the time range must be after its start'),
    ).toBeInTheDocument();
    expect(until).toHaveAttribute('aria-invalid', 'true');
    expect(calls.length).toBe(requests);
  });

  it('exports the filtered rows as CSV', async () => {
    const { fetch, calls } = fakeFetch({
      'GET /api/v1/audit': () => json(200, { entries: rows }),
      'GET /api/v1/audit/export': () =>
        new Response('id,time (UTC)\r\n', {
          status: 200,
          headers: {
            'content-type': 'text/csv',
            'content-disposition': 'attachment; filename="faultline-audit-2025-01-06.csv"',
          },
        }),
    });
    URL.createObjectURL = () => 'blob:csv';
    URL.revokeObjectURL = () => {};
    const downloads: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      downloads.push(this.download);
    });
    renderWithBackend(<AuditPage />, fetch, { path: '/audit?actor=sam-sre' });
    await screen.findByRole('table', { name: 'Audit log, newest first' });
    await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    await screen.findByRole('button', { name: 'Export CSV' });
    const request = calls.find((c) => c.path === '/api/v1/audit/export');
    expect(request?.query.get('actor')).toBe('sam-sre');
    expect(request?.query.has('limit')).toBe(false);
    expect(downloads).toEqual(['faultline-audit-2025-01-06.csv']);
  });
});
