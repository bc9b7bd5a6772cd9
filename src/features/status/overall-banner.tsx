import { worstState, type ServiceStatus } from '@/domain/status';
import { STATE_LOOK } from './state-label';

const HEADLINE = {
  operational: 'All systems operational',
  degraded: 'Some services are degraded',
  outage: 'Some services have an outage',
  unknown: 'Waiting for the first measurements',
} as const;

/** The one line a manager reads first. Production decides the headline; other stages are listed below it. */
export function OverallBanner({
  services,
  openIncidents,
}: {
  services: readonly ServiceStatus[];
  openIncidents: number;
}) {
  const production = worstState(
    services.flatMap((s) =>
      s.environments.filter((e) => e.environment === 'production').map((e) => e.state),
    ),
  );
  const anywhere = worstState(services.flatMap((s) => s.environments.map((e) => e.state)));
  const key = production ?? 'unknown';
  const look = STATE_LOOK[key];
  return (
    <section
      aria-label="Overall status"
      className={`rounded-lg border-2 border-current p-4 ${look.text}`}
    >
      <p className="text-2xl font-black">
        <span aria-hidden="true">{look.icon} </span>
        {HEADLINE[key]}
        <span className="text-base font-semibold"> in production</span>
      </p>
      <p className="mt-1 text-fg">
        {anywhere && anywhere !== 'operational' && anywhere !== production
          ? 'Test environments show problems: that is often a planned experiment at work. '
          : ''}
        {openIncidents > 0
          ? `${openIncidents} open incident${openIncidents === 1 ? '' : 's'}, see below.`
          : 'No open incidents.'}
      </p>
    </section>
  );
}
