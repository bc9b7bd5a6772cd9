import type { PlannedMaintenance } from '@/domain/maintenance';

const when = (at: number) =>
  new Date(at).toLocaleString([], {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });

/** Game days that will test production, announced ahead of time; nothing when none is planned. */
export function PlannedMaintenanceList({
  maintenance,
}: {
  maintenance: readonly PlannedMaintenance[];
}) {
  if (maintenance.length === 0) return null;
  return (
    <section aria-labelledby="maintenance-heading" className="flex flex-col gap-3">
      <h2 id="maintenance-heading" className="text-xl font-bold">
        Planned maintenance
      </h2>
      <ol className="flex flex-col gap-3">
        {maintenance.map((m) => (
          <li key={m.id} id={`maintenance-${m.id}`}>
            <article
              aria-label={m.title}
              className="flex flex-col gap-1.5 rounded-lg border border-accent/60 bg-surface p-4"
            >
              <header className="flex flex-wrap items-baseline justify-between gap-2">
                <h3 className="font-bold">{m.title}</h3>
                <span className="text-sm font-semibold text-accent">
                  {m.state === 'scheduled' ? 'Scheduled' : 'In progress'}
                </span>
              </header>
              <p className="text-sm">
                <time dateTime={new Date(m.startsAt).toISOString()}>{when(m.startsAt)}</time>
                {' – '}
                <time dateTime={new Date(m.endsAt).toISOString()}>{when(m.endsAt)}</time>
              </p>
              <p className="text-sm text-muted">{m.summary}</p>
            </article>
          </li>
        ))}
      </ol>
    </section>
  );
}
