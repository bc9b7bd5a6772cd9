import { isStale, useConnection } from '@/lib/live/connection-store';
import { useLiveMetrics } from '@/lib/live/live-metrics-store';
import { formatAge } from '@/lib/format';
import { useServerNow } from '@/lib/live/use-server-now';

/** Says so when the live stream is lost; what is on screen stays, marked as stale. */
export function StaleBanner() {
  const state = useConnection((s) => s.state);
  const everLive = useConnection((s) => s.everLive);
  const problem = useConnection((s) => s.problem);
  const newestSampleAt = useLiveMetrics((s) => (isStale(state) ? s.newestSampleAt : null));
  const now = useServerNow();
  if (!everLive || !isStale(state)) return null;
  const age =
    newestSampleAt === null ? '' : ` The newest data is ${formatAge(now - newestSampleAt)} old.`;
  const action = state === 'closed' ? ' Reload the page or sign in again.' : ' Reconnecting…';
  return (
    <div role="alert" className="border-b border-warn bg-warn/15 px-4 py-2 text-sm">
      <strong>Live updates lost: what you see is stale.</strong>
      {age}
      {action}
      {problem && <span className="block text-muted">{problem}</span>}
    </div>
  );
}
