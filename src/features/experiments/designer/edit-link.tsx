import { Link } from 'react-router';
import { useCan } from '@/backend/use-current-user';
import type { Experiment } from '@/domain';
import { editExperimentPath } from './paths';

/** "Edit in the designer", for a draft. */
export function EditLink({ experiment }: { experiment: Pick<Experiment, 'id' | 'state'> }) {
  const allowed = useCan('experiment.write');
  if (!allowed || experiment.state !== 'draft') return null;
  return (
    <Link
      to={editExperimentPath(experiment.id)}
      className="inline-flex items-center rounded-md border border-line bg-raised px-3 py-1.5 text-sm font-semibold hover:border-muted"
    >
      Edit
    </Link>
  );
}
