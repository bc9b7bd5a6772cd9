import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useBackend } from '@/lib/backend-context';
import { useCan } from '@/lib/use-current-user';
import { ErrorMessage } from '@/components/error-message';
import { ExperimentFilters } from './experiment-filters';
import { ExperimentsTable } from './experiments-table';
import { useExperimentFilter } from './use-experiment-filter';
import { experimentListQuery } from '@/lib/queries/experiments';

/** Every experiment, filtered by environment and state. */
export function ExperimentsList() {
  const backend = useBackend();
  const [filter, setFilter] = useExperimentFilter();
  const canWrite = useCan('experiment.write');
  const list = useQuery(experimentListQuery(backend, filter));
  return (
    <section aria-labelledby="experiments-heading" className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 id="experiments-heading" className="text-2xl font-bold">
          Experiments
        </h1>
        {canWrite && (
          <Link
            to="/experiments/new"
            className="rounded-md bg-accent px-3 py-1.5 text-sm font-semibold text-bg hover:brightness-110"
          >
            New experiment
          </Link>
        )}
      </div>
      <ExperimentFilters filter={filter} onChange={setFilter} />
      {list.error && <ErrorMessage error={list.error} retry={() => void list.refetch()} />}
      {list.isPending && <p className="text-muted">Loading experiments…</p>}
      {list.data && list.data.length === 0 && (
        <p className="text-muted">No experiment matches these filters.</p>
      )}
      {list.data && list.data.length > 0 && <ExperimentsTable experiments={list.data} />}
    </section>
  );
}
