import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { auditLogQuery } from '@/lib/queries/audit';
import { useBackend, capability } from '@/lib/backend-context';
import { Button } from '@/components/button';
import { ErrorMessage } from '@/components/error-message';
import type { AuditFilterInput } from '@/domain/audit-filter';
import { downloadText } from '@/lib/download';
import { AuditFilters, EMPTY_FILTER, filterOf, type FilterDraft } from './audit-filters';
import { AuditTable } from './audit-table';

/** The audit log: every change, who made it and when; filtered, paged, exportable. Read-only. */
export function AuditPage() {
  const backend = useBackend();
  const [params, setParams] = useSearchParams();
  const draft: FilterDraft = { ...EMPTY_FILTER };
  for (const key of Object.keys(EMPTY_FILTER) as (keyof FilterDraft)[])
    draft[key] = params.get(key) ?? '';
  const filter: AuditFilterInput = filterOf(draft);
  const log = useInfiniteQuery(auditLogQuery(backend, filter));
  const exportCsv = useMutation({
    mutationFn: () => capability(backend, 'audit').exportAuditCsv(filter),
    onSuccess: (file) => downloadText(file.fileName, file.text, 'text/csv;charset=utf-8'),
  });
  const entries = log.data?.pages.flat() ?? [];

  const apply = (next: FilterDraft) => {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(next)) if (value) search.set(key, value);
    setParams(search);
  };

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-black">Audit log</h1>
        <div className="flex items-center gap-2">
          <Button onClick={() => exportCsv.mutate()} disabled={exportCsv.isPending}>
            {exportCsv.isPending ? 'Exporting…' : 'Export CSV'}
          </Button>
          <Button onClick={() => void log.refetch()}>Refresh</Button>
        </div>
      </div>
      <p className="text-sm text-muted">
        Every change and action, recorded by the server with the change itself. Nobody can edit or
        delete it.
      </p>
      <AuditFilters key={params.toString()} initial={draft} onApply={apply} />
      {exportCsv.error && <ErrorMessage error={exportCsv.error} />}
      {log.error && <ErrorMessage error={log.error} retry={() => void log.refetch()} />}
      {log.isPending && <p className="text-muted">Loading the audit log…</p>}
      {log.data && entries.length === 0 && (
        <p className="text-muted">No entry matches these filters.</p>
      )}
      {entries.length > 0 && <AuditTable entries={entries} />}
      {log.hasNextPage && (
        <Button
          className="self-start"
          onClick={() => void log.fetchNextPage()}
          disabled={log.isFetchingNextPage}
        >
          {log.isFetchingNextPage ? 'Loading…' : 'Load older entries'}
        </Button>
      )}
    </div>
  );
}
