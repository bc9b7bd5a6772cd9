import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useBackend } from '@/lib/backend-context';
import { useCan } from '@/lib/use-current-user';
import { ErrorMessage } from '@/components/error-message';
import { rolloutListQuery } from '@/lib/queries/rollouts';
import { NEW_ROLLOUT_PATH } from './rollout-text';
import { RolloutsTable } from './rollouts-table';

/** Every canary and flag rollout, newest first. */
export function RolloutsPage() {
  const backend = useBackend();
  const canWrite = useCan('rollout.write');
  const list = useQuery(rolloutListQuery(backend));
  return (
    <section aria-labelledby="rollouts-heading" className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 id="rollouts-heading" className="text-2xl font-bold">
          Rollouts
        </h1>
        {canWrite && (
          <Link
            to={NEW_ROLLOUT_PATH}
            className="rounded-md bg-accent px-3 py-1.5 text-sm font-semibold text-bg hover:brightness-110"
          >
            New rollout
          </Link>
        )}
      </div>
      {list.error && <ErrorMessage error={list.error} retry={() => void list.refetch()} />}
      {list.isPending && <p className="text-muted">Loading rollouts…</p>}
      {list.data && list.data.length === 0 && (
        <p className="text-muted">
          No rollout yet. A rollout raises a new version&apos;s share of traffic in steps and rolls
          it back when a step&apos;s analysis finds a regression.
        </p>
      )}
      {list.data && list.data.length > 0 && <RolloutsTable rollouts={list.data} />}
    </section>
  );
}
