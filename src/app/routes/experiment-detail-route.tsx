import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { useParams } from 'react-router';
import { useBackend } from '@/lib/backend-context';
import { ErrorMessage } from '@/components/error-message';
import { ExperimentHeader } from '@/features/experiments/experiment-header';
import { LazyLiveMonitor, preloadLiveMonitor } from '@/features/monitor/lazy-live-monitor';
import { StatusBanner } from '@/features/monitor/status-banner';
import { experimentQuery } from '@/lib/queries/experiments';

// The header, the run's status and Halt draw first; the chart code loads alongside the
// experiment and the charts appear when it arrives.
preloadLiveMonitor();

// Below the monitor and not needed to watch a run: loaded after the page draws.
const LineageResults = lazy(() =>
  import('@/features/experiments/designer/lineage-results').then((m) => ({
    default: m.LineageResults,
  })),
);

/** One experiment: its controls, where it stands, and the live monitor. */
function ExperimentDetailRoute() {
  const { id = '' } = useParams();
  const backend = useBackend();
  const experiment = useQuery(experimentQuery(backend, id));
  if (experiment.error)
    return <ErrorMessage error={experiment.error} retry={() => void experiment.refetch()} />;
  if (!experiment.data) return <p className="text-muted">Loading the experiment…</p>;
  return (
    <div className="flex flex-col gap-5">
      <ExperimentHeader experiment={experiment.data} />
      <StatusBanner experiment={experiment.data} />
      <LazyLiveMonitor experiment={experiment.data} />
      <Suspense fallback={null}>
        <LineageResults experiment={experiment.data} />
      </Suspense>
    </div>
  );
}

export { ExperimentDetailRoute as Component };
