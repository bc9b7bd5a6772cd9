import { useQuery } from '@tanstack/react-query';
import { isBackendError } from '@/backend/errors';
import { STATUS_REFRESH_MS, statusPageQuery, type StatusSource } from '@/lib/queries/status';
import { ErrorMessage } from '@/components/error-message';
import { STATUS_ERROR_CODES, UPTIME_RULE, type StatusResponse } from '@/domain/status';
import { OverallBanner } from './overall-banner';
import { PlannedMaintenanceList } from './planned-maintenance';
import { PublicIncidents } from './public-incidents';
import { ServiceStatusCard } from './service-status-card';
import { TestingNow } from './testing-now';

const CLOSED: Record<string, string> = {
  [STATUS_ERROR_CODES.disabled]: 'This status page is turned off. An admin can turn it on again.',
  [STATUS_ERROR_CODES.tokenRequired]:
    'This status page opens with its share link. Ask the team for the link.',
};

function Thresholds({ thresholds }: { thresholds: StatusResponse['thresholds'] }) {
  return (
    <p className="text-sm text-muted">
      How the state is judged, from each service’s latest measurement:{' '}
      {thresholds.map((t) => t.rule).join('; ')}.
    </p>
  );
}

interface StatusPageProps {
  source: StatusSource;
  /** The `?token=` of a share link, when the page was opened from one. */
  shareToken: string | null;
  /** The Atom feed of incidents and planned maintenance, announced to feed readers. */
  feedUrl?: string;
}

/** The public status page: no sign-in, read-only, refreshing itself. */
export function StatusPage({ source, shareToken, feedUrl }: StatusPageProps) {
  const status = useQuery(statusPageQuery(source, shareToken));
  const closed = isBackendError(status.error) ? CLOSED[status.error.code] : undefined;
  const data = status.data;
  return (
    <div className="mx-auto flex min-h-screen w-full max-w-[110rem] flex-col gap-6 px-4 py-6 md:px-8">
      {/* React puts it in the document's head, where feed readers and browsers look for it. */}
      {feedUrl && (
        <link
          rel="alternate"
          type="application/atom+xml"
          title="Faultline status: incidents and planned maintenance"
          href={feedUrl}
        />
      )}
      <header className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-3xl font-black tracking-tight">Faultline status</h1>
        {data && (
          <p className="text-sm text-muted" aria-live="polite">
            Updated {new Date(data.generatedAt).toLocaleTimeString([], { hour12: false })} ·
            refreshes every {STATUS_REFRESH_MS / 1000} s
            {feedUrl && (
              <>
                {' · '}
                <a href={feedUrl} className="text-accent underline">
                  Follow incidents (Atom feed)
                </a>
              </>
            )}
          </p>
        )}
      </header>
      {closed && (
        <p role="alert" className="rounded-lg border border-line bg-surface p-4 text-lg">
          {closed}
        </p>
      )}
      {status.error && !closed && (
        <ErrorMessage error={status.error} retry={() => void status.refetch()} />
      )}
      {!data && !status.error && <p className="text-muted">Loading the status…</p>}
      {data && (
        <>
          <OverallBanner
            services={data.services}
            openIncidents={data.incidents.filter((i) => i.state === 'open').length}
          />
          <div className="grid gap-8 2xl:grid-cols-[2fr_1fr]">
            <section aria-labelledby="services-heading" className="flex flex-col gap-3">
              <h2 id="services-heading" className="text-xl font-bold">
                Services
              </h2>
              <div className="grid gap-4 xl:grid-cols-2">
                {data.services.map((service) => (
                  <ServiceStatusCard key={service.service} status={service} />
                ))}
              </div>
            </section>
            {/* On a phone what is happening now comes first; on a wall screen it sits beside the services. */}
            <div className="order-first flex flex-col gap-8 2xl:order-last">
              <PlannedMaintenanceList maintenance={data.maintenance} />
              <TestingNow testing={data.testing} />
              <PublicIncidents incidents={data.incidents} />
            </div>
          </div>
          <Thresholds thresholds={data.thresholds} />
          <p className="text-sm text-muted">{UPTIME_RULE}</p>
        </>
      )}
    </div>
  );
}
