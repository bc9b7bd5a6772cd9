import { Link } from 'react-router';
import { useCan } from '@/backend/use-current-user';
import { newExperimentPath } from './paths';

const linkClass = 'inline-flex items-center rounded-md px-3 py-1.5 text-sm font-semibold';

/** "New experiment", for those who may design one. */
export function NewExperimentLink() {
  const allowed = useCan('experiment.write');
  if (!allowed) return null;
  return (
    <Link to={newExperimentPath()} className={`${linkClass} bg-accent text-bg hover:brightness-110`}>
      New experiment
    </Link>
  );
}
