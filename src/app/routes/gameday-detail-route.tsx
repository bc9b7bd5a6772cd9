import { useParams } from 'react-router';
import type { Experiment } from '@/domain/experiment';
import { HaltButton } from '@/features/experiments/halt-button';
import { StartControl } from '@/features/experiments/start-control';
import { GamedayPage } from '@/features/gamedays/gameday-page';
import { LiveMonitor } from '@/features/monitor/live-monitor';
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
    <LiveMonitor experiment={experiment} />
  </div>
);

/** A game day, with the experiments feature's start/halt and the monitor composed in. */
function GamedayDetailRoute() {
  const { id = '' } = useParams();
  return <GamedayPage gamedayId={id} experimentControls={controls} liveMonitor={monitor} />;
}

export { GamedayDetailRoute as Component };
