import { useQuery } from '@tanstack/react-query';
import { useBackend } from '@/lib/backend-context';
import { flagHistoryQuery } from '@/lib/queries/flags';
import { ErrorMessage } from '@/components/error-message';
import { formatDateTime } from '@/lib/format';

/** Who changed the flag, when, and what: newest first. */
export function FlagHistory({ flagKey }: { flagKey: string }) {
  const backend = useBackend();
  const history = useQuery(flagHistoryQuery(backend, flagKey));
  return (
    <section
      aria-labelledby="history-heading"
      className="flex flex-col gap-2 rounded-lg border border-line bg-surface p-4"
    >
      <h2 id="history-heading" className="text-lg font-bold">
        Change history
      </h2>
      {history.error && <ErrorMessage error={history.error} retry={() => void history.refetch()} />}
      <ol className="flex flex-col gap-2 text-sm" aria-label="Changes, newest first">
        {history.data?.map((entry) => (
          <li
            key={`${entry.version}-${entry.at}-${entry.change}`}
            className="border-l-2 border-line pl-2"
          >
            <span className="font-semibold">v{entry.version}</span>{' '}
            <span className={entry.change === 'killed' ? 'font-bold text-danger' : ''}>
              {entry.change}
            </span>
            <span className="text-muted">
              {' '}
              by {entry.by}, {formatDateTime(entry.at)}
            </span>
            {entry.summary && entry.summary !== entry.change && (
              <p className="text-xs text-muted">{entry.summary}</p>
            )}
            {entry.comment && <p className="text-xs italic">{entry.comment}</p>}
          </li>
        ))}
      </ol>
    </section>
  );
}
