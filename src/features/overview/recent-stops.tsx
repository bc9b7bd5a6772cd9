import { useQueries } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useBackend } from '@/lib/backend-context';
import { ErrorMessage } from '@/components/error-message';
import { StateBadge } from '@/components/state-badge';
import { formatDateTime } from '@/lib/format';
import { outcomeText } from '@/lib/outcome-text';
import { experimentListQuery } from '@/lib/queries/experiments';

const SHOWN = 8;

/** The latest aborts and halts, newest first, each with its reason. */
export function RecentStops() {
  const backend = useBackend();
  const [aborted, halted] = useQueries({
    queries: [
      experimentListQuery(backend, { state: 'aborted' }),
      experimentListQuery(backend, { state: 'halted' }),
    ],
  });
  const error = aborted?.error ?? halted?.error;
  const stops = [...(aborted?.data ?? []), ...(halted?.data ?? [])]
    .sort((a, b) => (b.run?.endedAt ?? 0) - (a.run?.endedAt ?? 0))
    .slice(0, SHOWN);
  return (
    <section aria-labelledby="stops-heading" className="flex flex-col gap-2">
      <h2 id="stops-heading" className="text-lg font-bold">
        Recent aborts and halts
      </h2>
      {error && <ErrorMessage error={error} />}
      {stops.length === 0 && !error && (
        <p className="text-muted">No experiment has been aborted or halted.</p>
      )}
      <ul className="flex flex-col gap-2">
        {stops.map((experiment) => (
          <li key={experiment.id} className="rounded-md border border-line bg-surface px-3 py-2">
            <div className="flex flex-wrap items-center gap-2">
              <StateBadge state={experiment.state} />
              <Link
                to={`/experiments/${experiment.id}`}
                className="font-semibold text-accent underline-offset-2 hover:underline"
              >
                {experiment.name}
              </Link>
              <span className="text-sm text-muted">
                {experiment.service} · {experiment.environment}
              </span>
              {experiment.run?.endedAt != null && (
                <time
                  dateTime={new Date(experiment.run.endedAt).toISOString()}
                  className="ml-auto text-sm text-muted"
                >
                  {formatDateTime(experiment.run.endedAt)}
                </time>
              )}
            </div>
            {experiment.run?.outcome && (
              <p className="mt-1 text-sm">{outcomeText(experiment.run.outcome)}</p>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
