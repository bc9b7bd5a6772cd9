import { Link } from 'react-router';
import { useCan } from '@/lib/use-current-user';
import type { Experiment } from '@/domain';
import { newExperimentPath } from './paths';

/** "Duplicate": a new draft with this experiment's design. */
export function DuplicateLink({ experiment }: { experiment: Pick<Experiment, 'id'> }) {
  const allowed = useCan('experiment.write');
  if (!allowed) return null;
  return (
    <Link
      to={newExperimentPath({ kind: 'duplicate', experimentId: experiment.id })}
      className="inline-flex items-center rounded-md border border-line bg-raised px-3 py-1.5 text-sm font-semibold hover:border-muted"
    >
      Duplicate
    </Link>
  );
}
