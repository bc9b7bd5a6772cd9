import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useBackend } from '@/lib/backend-context';
import { ErrorMessage } from '@/components/error-message';
import { StateBadge } from '@/components/state-badge';
import { ENVIRONMENTS, type Experiment } from '@/domain';
import { formatDateTime } from '@/lib/format';
import { experimentPath } from './paths';
import { experimentListQuery } from '@/lib/queries/experiments';

function outcomeOf(experiment: Experiment): string {
  const run = experiment.run;
  if (!run) return 'not run yet';
  const hit = `${run.targets.length} of ${run.matchingCount}`;
  const outcome = run.outcome;
  if (!outcome) return `running on ${hit}`;
  if (outcome.kind === 'aborted') return `${hit}; aborted: ${outcome.description}`;
  if (outcome.kind === 'halted') return `${hit}; halted by ${outcome.by}`;
  if (outcome.kind === 'interrupted') return `${hit}; interrupted: ${outcome.reason}`;
  return `${hit}; completed`;
}

/** The same experiment across the stages: the latest run in each environment, in order. */
export function LineageResults({
  experiment,
}: {
  experiment: Pick<Experiment, 'id' | 'lineageId'>;
}) {
  const backend = useBackend();
  const lineage = useQuery(experimentListQuery(backend, { lineageId: experiment.lineageId }));
  if (lineage.error)
    return <ErrorMessage error={lineage.error} retry={() => void lineage.refetch()} />;
  const members = lineage.data ?? [];
  return (
    <section aria-labelledby="lineage-results" className="flex flex-col gap-2">
      <h2 id="lineage-results" className="text-lg font-semibold">
        Results per environment
      </h2>
      <table className="w-full max-w-3xl text-left text-sm">
        <thead className="text-muted">
          <tr>
            <th className="py-1 pr-3 font-semibold">Environment</th>
            <th className="py-1 pr-3 font-semibold">State</th>
            <th className="py-1 pr-3 font-semibold">Result</th>
            <th className="py-1 font-semibold">When</th>
          </tr>
        </thead>
        <tbody>
          {ENVIRONMENTS.map((environment) => {
            // Newest first from the API: the first one is this stage's latest.
            const latest = members.find((m) => m.environment === environment);
            return (
              <tr key={environment} className="border-t border-line">
                <th scope="row" className="py-1.5 pr-3 font-semibold">
                  {latest && latest.id !== experiment.id ? (
                    <Link to={experimentPath(latest.id)} className="text-accent underline">
                      {environment}
                    </Link>
                  ) : (
                    environment
                  )}
                </th>
                <td className="py-1.5 pr-3">
                  {latest ? (
                    <StateBadge state={latest.state} />
                  ) : (
                    <span className="text-muted">—</span>
                  )}
                </td>
                <td className="py-1.5 pr-3">
                  {latest ? (
                    outcomeOf(latest)
                  ) : (
                    <span className="text-muted">not carried here yet</span>
                  )}
                </td>
                <td className="py-1.5 text-muted">
                  {latest?.run ? formatDateTime(latest.run.startedAt) : ''}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
