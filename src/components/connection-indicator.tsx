import type { ConnectionState } from '@/backend/backend';
import { useConnection } from '@/lib/live/connection-store';
import { useLiveMetrics } from '@/lib/live/live-metrics-store';
import { formatAge } from '@/lib/format';
import { useServerNow } from '@/lib/live/use-server-now';

const LABELS: Record<ConnectionState, string> = {
  connecting: 'connecting',
  live: 'live',
  reconnecting: 'reconnecting',
  offline: 'offline',
  closed: 'offline',
};
const DOTS: Record<ConnectionState, string> = {
  connecting: 'bg-muted',
  live: 'bg-ok',
  reconnecting: 'bg-warn',
  offline: 'bg-danger',
  closed: 'bg-danger',
};

/** Live / reconnecting / offline, with how old the newest data on screen is. */
export function ConnectionIndicator() {
  const state = useConnection((s) => s.state);
  // Only away from live is the age shown: while live this does not re-render on every sample.
  const newestSampleAt = useLiveMetrics((s) => (state === 'live' ? null : s.newestSampleAt));
  const now = useServerNow();
  const age = newestSampleAt === null ? null : formatAge(now - newestSampleAt);
  return (
    <div role="status" aria-label="Connection" className="flex items-center gap-2 text-sm">
      <span
        aria-hidden="true"
        className={`inline-block size-2.5 rounded-full ${DOTS[state]} ${state === 'live' ? 'animate-pulse' : ''}`}
      />
      <span className="font-semibold">{LABELS[state]}</span>
      {age !== null && state !== 'live' && <span className="text-muted">data {age} old</span>}
    </div>
  );
}
