import { useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useBackend } from '@/lib/backend-context';
import type { Rollout } from '@/domain/rollouts';
import { rolloutQuery } from '@/lib/queries/rollouts';
import { RolloutStateBadge } from './rollout-state-badge';
import { deliveredLabel, kindLabel, rolloutPath, stepLabel, verdictSummary } from './rollout-text';

// What decides whether to look closer comes first: on a phone the rest scrolls into view.
const HEADINGS = ['Rollout', 'State', 'Step / weight', 'Verdict', 'Service', 'Environment', 'Kind'];

/** Rollouts, one row each; hovering a row fetches its detail ahead of the click. */
export function RolloutsTable({ rollouts }: { rollouts: Rollout[] }) {
  const backend = useBackend();
  const queryClient = useQueryClient();
  const prefetch = (id: string) => void queryClient.prefetchQuery(rolloutQuery(backend, id));
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[40rem] border-collapse text-left text-sm">
        <thead className="border-b border-line text-muted">
          <tr>
            {HEADINGS.map((heading) => (
              <th key={heading} scope="col" className="py-2 pr-4 font-semibold">
                {heading}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rollouts.map((r) => (
            <tr key={r.id} className="border-b border-line/60 hover:bg-raised/60">
              <td className="py-2 pr-4">
                <Link
                  to={rolloutPath(r.id)}
                  onMouseEnter={() => prefetch(r.id)}
                  onFocus={() => prefetch(r.id)}
                  className="font-semibold text-accent underline-offset-2 hover:underline"
                >
                  {r.spec.name}
                </Link>
                <span className="ml-2 text-muted">{deliveredLabel(r.spec)}</span>
              </td>
              <td className="py-2 pr-4">
                <RolloutStateBadge state={r.state} />
              </td>
              <td className="py-2 pr-4 whitespace-nowrap">{stepLabel(r)}</td>
              <td className="py-2 pr-4 text-muted">{verdictSummary(r)}</td>
              <td className="py-2 pr-4">{r.spec.service}</td>
              <td className="py-2 pr-4">{r.spec.environment}</td>
              <td className="py-2 pr-4">{kindLabel(r.spec)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
