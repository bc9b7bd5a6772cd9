import { serviceOverall, type ServiceStatus } from '@/domain/status';
import { HistoryStrip } from './history-strip';
import { StateLabel } from './state-label';

/** One service: its state in each environment, why, and its last 90 days in production. */
export function ServiceStatusCard({ status }: { status: ServiceStatus }) {
  const headingId = `service-${status.service}`;
  return (
    <article
      aria-labelledby={headingId}
      className="flex flex-col gap-3 rounded-lg border border-line bg-surface p-4"
    >
      <header className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 id={headingId} className="text-lg font-bold">
          {status.service}
        </h3>
        <StateLabel state={serviceOverall(status)} />
      </header>
      <p className="text-sm text-muted">{status.description}</p>
      <ul
        aria-label={`${status.service} by environment`}
        className="grid grid-cols-2 gap-2 sm:grid-cols-4"
      >
        {status.environments.map((env) => (
          <li
            key={env.environment}
            className="flex flex-col rounded-md bg-raised px-2 py-1.5 text-sm"
          >
            <span className="text-xs uppercase tracking-wide text-muted">{env.environment}</span>
            <StateLabel state={env.state} className="text-sm" />
            {env.reasons.map((reason) => (
              <span key={reason} className="text-xs text-muted">
                {reason}
              </span>
            ))}
          </li>
        ))}
      </ul>
      <HistoryStrip service={status.service} days={status.history} uptime={status.uptime} />
    </article>
  );
}
