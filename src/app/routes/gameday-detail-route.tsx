import { useParams } from 'react-router';
import type { Experiment } from '@/domain/experiment';
import { HaltButton } from '@/features/experiments/halt-button';
import { StartControl } from '@/features/experiments/start-control';
import { GamedayPage } from '@/features/gamedays/gameday-page';
import { LazyLiveMonitor } from '@/features/monitor/lazy-live-monitor';
import { StatusBanner } from '@/features/monitor/status-banner';

const controls = (experiment: Experiment) => (
  <div className="flex flex-wrap items-center gap-2">
    <StartControl experiment={experiment} />
    <HaltButton experiment={experiment} />
  </div>
);

const monitor = (experiment: Experiment) => (
  <div className="flex flex-col gap-3">
    <StatusBanner experiment={experiment} />
    {/* The charts load after the checklist and timeline draw: the game day is usable at once,
        and only a page with an experiment in progress pays for the chart code. */}
    <LazyLiveMonitor experiment={experiment} />
  </div>
);

/** A game day, with the experiments feature's start/halt and the monitor composed in. */
function GamedayDetailRoute() {
  const { id = '' } = useParams();
  return <GamedayPage gamedayId={id} experimentControls={controls} liveMonitor={monitor} />;
}

export { GamedayDetailRoute as Component };
