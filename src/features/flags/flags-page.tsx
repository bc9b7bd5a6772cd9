import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useBackend } from '@/lib/backend-context';
import { flagListQuery } from '@/lib/queries/flags';
import { useCan } from '@/lib/use-current-user';
import { ErrorMessage } from '@/components/error-message';
import { filterFlags, useFlagFilter } from './flag-filter';
import { FlagFilters } from './flag-filters';
import { FlagsTable } from './flags-table';
import { ImportExportPanel } from './import-export-panel';
import { OfrepKeysPanel } from './ofrep-keys-panel';
import { SegmentsSection } from './segments-section';

/** Every feature flag with its state per environment, the segments, and how applications connect. */
export function FlagsPage() {
  const backend = useBackend();
  const canWrite = useCan('flag.write');
  const isAdmin = useCan('admin.settings');
  const list = useQuery(flagListQuery(backend));
  const [filter, setFilter] = useFlagFilter();
  const services = [...new Set(list.data?.flatMap((f) => f.services) ?? [])].sort();
  const shown = list.data ? filterFlags(list.data, filter) : [];
  return (
    <div className="flex flex-col gap-8">
      <section aria-labelledby="flags-heading" className="flex flex-col gap-4">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h1 id="flags-heading" className="text-2xl font-bold">
            Feature flags
          </h1>
          {canWrite && (
            <Link
              to="/flags/new"
              className="rounded-md bg-accent px-3 py-1.5 text-sm font-semibold text-bg hover:brightness-110"
            >
              New flag
            </Link>
          )}
        </div>
        <FlagFilters filter={filter} services={services} onChange={setFilter} />
        {list.error && <ErrorMessage error={list.error} retry={() => void list.refetch()} />}
        {list.isPending && <p className="text-muted">Loading flags…</p>}
        {list.data && shown.length === 0 && (
          <p className="text-muted">No flag matches these filters.</p>
        )}
        {shown.length > 0 && <FlagsTable flags={shown} />}
      </section>
      <SegmentsSection />
      <ImportExportPanel canImport={canWrite} />
      {isAdmin && <OfrepKeysPanel />}
    </div>
  );
}
