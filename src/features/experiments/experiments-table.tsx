import { useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useBackend } from '@/lib/backend-context';
import { StateBadge } from '@/components/state-badge';
import { ATTACK_INFO, formatMagnitude } from '@/domain/attacks';
import type { Experiment } from '@/domain/experiment';
import { formatDateTime } from '@/lib/format';
import { experimentQuery } from '@/lib/queries/experiments';

/** The steps' magnitudes ("50 % → 60 %"); nothing for an attack without one (a shutdown). */
function magnitudes(experiment: Experiment): string {
  if (!ATTACK_INFO[experiment.attack.type].magnitude) return '';
  return experiment.steps
    .map((s) => formatMagnitude(experiment.attack.type, s.magnitude))
    .join(' → ');
}

/** Experiments, one row each; hovering a row fetches its detail ahead of the click. */
export function ExperimentsTable({ experiments }: { experiments: Experiment[] }) {
  const backend = useBackend();
  const queryClient = useQueryClient();
  const prefetch = (id: string) => void queryClient.prefetchQuery(experimentQuery(backend, id));
  return (
    <table className="w-full border-collapse text-left text-sm">
      <thead className="border-b border-line text-muted">
        <tr>
          <th scope="col" className="py-2 pr-4 font-semibold">
            Experiment
          </th>
          <th scope="col" className="py-2 pr-4 font-semibold">
            State
          </th>
          <th scope="col" className="py-2 pr-4 font-semibold">
            Service
          </th>
          <th scope="col" className="py-2 pr-4 font-semibold">
            Environment
          </th>
          <th scope="col" className="py-2 pr-4 font-semibold">
            Attack
          </th>
          <th scope="col" className="py-2 pr-4 font-semibold">
            Last run
          </th>
        </tr>
      </thead>
      <tbody>
        {experiments.map((e) => (
          <tr key={e.id} className="border-b border-line/60 hover:bg-raised/60">
            <td className="py-2 pr-4">
              <Link
                to={`/experiments/${e.id}`}
                onMouseEnter={() => prefetch(e.id)}
                onFocus={() => prefetch(e.id)}
                className="font-semibold text-accent underline-offset-2 hover:underline"
              >
                {e.name}
              </Link>
            </td>
            <td className="py-2 pr-4">
              <StateBadge state={e.state} />
            </td>
            <td className="py-2 pr-4">{e.service}</td>
            <td className="py-2 pr-4">{e.environment}</td>
            <td className="py-2 pr-4">
              {ATTACK_INFO[e.attack.type].label} <span className="text-muted">{magnitudes(e)}</span>
            </td>
            <td className="py-2 pr-4 text-muted">
              {e.run ? formatDateTime(e.run.startedAt) : 'never'}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
