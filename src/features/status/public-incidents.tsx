import { currentSummary, updateLine, type PublicIncident } from '@/domain/incidents';

const when = (at: number) =>
  new Date(at).toLocaleString([], {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });

/** Incidents as the public page shows them: what happened, in words, with times. */
export function PublicIncidents({ incidents }: { incidents: readonly PublicIncident[] }) {
  return (
    <section aria-labelledby="incidents-heading" className="flex flex-col gap-3">
      <h2 id="incidents-heading" className="text-xl font-bold">
        Incidents
      </h2>
      {incidents.length === 0 && <p className="text-muted">No incidents in the last 30 days.</p>}
      <ol className="flex flex-col gap-3">
        {incidents.map((incident) => (
          <li key={incident.id} id={`incident-${incident.id}`}>
            <article
              aria-label={incident.title}
              className={
                'flex flex-col gap-2 rounded-lg border bg-surface p-4 ' +
                (incident.state === 'open' ? 'border-danger' : 'border-line')
              }
            >
              <header className="flex flex-wrap items-baseline justify-between gap-2">
                <h3 className="font-bold">{incident.title}</h3>
                <span
                  className={`text-sm font-semibold ${incident.state === 'open' ? 'text-danger' : 'text-ok'}`}
                >
                  {incident.state === 'open'
                    ? 'Open'
                    : `Resolved ${incident.resolvedAt ? when(incident.resolvedAt) : ''}`}
                </span>
              </header>
              <p className="text-xs text-muted">Opened {when(incident.openedAt)}</p>
              <p>{currentSummary(incident)}</p>
              {incident.updates.length > 0 && (
                <ol className="flex flex-col gap-1 border-l-2 border-line pl-3 text-sm">
                  {incident.updates.map((u) => (
                    <li key={`${u.at}-${u.text}`}>
                      <span className="text-muted">{when(u.at)} · </span>
                      <span className={u.resolves ? 'text-ok' : undefined}>{updateLine(u)}</span>
                    </li>
                  ))}
                </ol>
              )}
            </article>
          </li>
        ))}
      </ol>
    </section>
  );
}
