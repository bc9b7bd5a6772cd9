import { lazy, Suspense } from 'react';
import type { LiveMonitorProps } from './live-monitor';

const loadMonitor = () => import('./live-monitor');
const LiveMonitor = lazy(() => loadMonitor().then((m) => ({ default: m.LiveMonitor })));

/**
 * Starts fetching the chart code (the largest part of the dashboard) without waiting for it:
 * a page that will show the monitor calls this as it loads, so the code arrives while the
 * page's own data does, and the page draws its controls first.
 */
export function preloadLiveMonitor(): void {
  void loadMonitor();
}

/** The live monitor, drawn once its chart code has loaded; a line says so until then. */
export function LazyLiveMonitor(props: LiveMonitorProps) {
  return (
    <Suspense fallback={<p className="min-h-64 text-muted">Loading the live monitor…</p>}>
      <LiveMonitor {...props} />
    </Suspense>
  );
}
