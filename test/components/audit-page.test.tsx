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
    const [, halt, create] = within(table).getAllByRole('row');
    expect(halt).toHaveTextContent('vic-viewer');
    expect(halt).toHaveTextContent('state: running → halted');
    expect(halt).not.toHaveTextContent('version');
    expect(create).toHaveTextContent('created');
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
    await screen.findByRole('table');
    await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    await screen.findByRole('button', { name: 'Export CSV' });
    const request = calls.find((c) => c.path === '/api/v1/audit/export');
    expect(request?.query.get('actor')).toBe('sam-sre');
    expect(request?.query.has('limit')).toBe(false);
    expect(downloads).toEqual(['faultline-audit-2025-01-06.csv']);
  });
});
