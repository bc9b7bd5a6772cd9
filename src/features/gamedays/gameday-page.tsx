import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useBackend } from '@/lib/backend-context';
import { gamedayQuery } from '@/lib/queries/gamedays';
import { useCan } from '@/lib/use-current-user';
import { ErrorMessage } from '@/components/error-message';
import type { Experiment } from '@/domain/experiment';
import { gamedayPhase } from '@/domain/gamedays';
import { useNow } from '@/lib/use-now';
import { FindingsForm } from './findings-form';
import { GamedayExperiments } from './gameday-experiments';
import './gameday-print.css';
import { GamedayTimeline } from './gameday-timeline';
import { ReportActions } from './report-actions';
import { RunbookChecklist } from './runbook-checklist';
import { dayAndTime } from './when';
import { experimentListQuery } from '@/lib/queries/experiments';

interface GamedayPageProps {
  gamedayId: string;
  /** Start / halt for one experiment (from the experiments feature, composed by the route). */
  experimentControls?: (experiment: Experiment) => ReactNode;
  /** The live monitor of the experiment in progress (composed by the route). */
  liveMonitor?: (experiment: Experiment) => ReactNode;
}

const PHASE_WORDS = {
  scheduled: 'Scheduled',
  'in-progress': 'In progress',
  finished: 'Finished',
} as const;

/** The one page of a game day: plan, runbook, the experiment in progress live, timeline, then findings. */
export function GamedayPage({ gamedayId, experimentControls, liveMonitor }: GamedayPageProps) {
  const backend = useBackend();
  const gameday = useQuery(gamedayQuery(backend, gamedayId));
  const experimentList = useQuery(experimentListQuery(backend));
  const canWrite = useCan('gameday.write');
  const now = useNow(15_000);
  if (gameday.error)
    return <ErrorMessage error={gameday.error} retry={() => void gameday.refetch()} />;
  if (!gameday.data) return <p className="text-muted">Loading the game day…</p>;
  const g = gameday.data;
  const experiments = new Map(
    (experimentList.data ?? []).filter((e) => g.experimentIds.includes(e.id)).map((e) => [e.id, e]),
  );
  const inProgress = g.experimentIds
    .map((id) => experiments.get(id))
    .find((e) => e?.state === 'running');
  const phase = gamedayPhase(g, now);

  return (
    <div className="flex flex-col gap-6">
      <header className="flex flex-wrap items-start justify-between gap-4">
        <div className="flex flex-col gap-1">
          <p className="text-sm text-muted print:hidden">
            <Link to="/gamedays" className="hover:underline">
              Game days
            </Link>{' '}
            /
          </p>
          <h1 className="text-2xl font-black">{g.title}</h1>
          <p className="text-muted">
            {dayAndTime(g.startsAt)} – {dayAndTime(g.endsAt)} ·{' '}
            <span className={phase === 'in-progress' ? 'font-semibold text-warn' : ''}>
              {PHASE_WORDS[phase]}
            </span>
          </p>
          {g.description && <p className="max-w-3xl whitespace-pre-wrap">{g.description}</p>}
          <ul aria-label="Participants" className="flex flex-wrap gap-2 text-sm">
            {g.participants.map((p) => (
              <li key={p.name} className="rounded-full border border-line px-2">
                {p.name} <span className="text-muted">· {p.role}</span>
              </li>
            ))}
          </ul>
        </div>
        <div className="flex flex-wrap items-center gap-2 print:hidden">
          {canWrite && (
            <Link
              to={`/gamedays/${g.id}/edit`}
              className="rounded-md border border-line bg-raised px-3 py-1.5 text-sm font-semibold hover:border-muted"
            >
              Edit plan
            </Link>
          )}
          <ReportActions gamedayId={g.id} />
        </div>
      </header>
      {experimentList.error && (
        <ErrorMessage error={experimentList.error} retry={() => void experimentList.refetch()} />
      )}
      <div className="grid gap-6 xl:grid-cols-2">
        <div className="flex flex-col gap-6">
          <GamedayExperiments
            experimentIds={g.experimentIds}
            experiments={experiments}
            controls={experimentControls}
          />
          <RunbookChecklist gameday={g} experiments={experiments} canTick={canWrite} />
        </div>
        <GamedayTimeline gamedayId={g.id} />
      </div>
      <section aria-labelledby="in-progress-heading" className="flex flex-col gap-3 print:hidden">
        <h2 id="in-progress-heading" className="text-lg font-bold">
          In progress{inProgress ? `: ${inProgress.name}` : ''}
        </h2>
        {inProgress ? (
          liveMonitor?.(inProgress)
        ) : (
          <p className="text-muted">No experiment of this game day is running.</p>
        )}
      </section>
      <FindingsForm key={g.id} gameday={g} experiments={experiments} canWrite={canWrite} />
    </div>
  );
}
