import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useBackend } from '@/lib/backend-context';
import { incidentListQuery } from '@/lib/queries/status';
import { useCan } from '@/lib/use-current-user';
import { ErrorMessage } from '@/components/error-message';
import { IncidentCard } from './incident-card';
import { StatusSettingsCard } from './status-settings-card';

/** The team's side of the status page: incidents to update and resolve, and (admins) its settings. */
export function IncidentsPage() {
  const backend = useBackend();
  const incidents = useQuery(incidentListQuery(backend));
  const canWrite = useCan('gameday.write');
  const isAdmin = useCan('admin.settings');
  return (
    <div className="flex flex-col gap-5">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-black">Incidents</h1>
        <Link to="/status" className="text-accent hover:underline">
          Open the public status page
        </Link>
      </div>
      <p className="text-sm text-muted">
        An experiment that aborts opens an incident here and on the status page. Post updates as you
        learn more, then resolve it.
      </p>
      {isAdmin && <StatusSettingsCard />}
      {incidents.error && (
        <ErrorMessage error={incidents.error} retry={() => void incidents.refetch()} />
      )}
      {incidents.data?.length === 0 && (
        <p className="text-muted">No incidents in the last 90 days.</p>
      )}
      <div className="flex flex-col gap-3">
        {incidents.data?.map((incident) => (
          <IncidentCard key={incident.id} incident={incident} canWrite={canWrite} />
        ))}
      </div>
    </div>
  );
}
