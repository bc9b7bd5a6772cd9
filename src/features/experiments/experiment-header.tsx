import { lazy, Suspense } from 'react';
import { Link } from 'react-router';
import { useCan } from '@/lib/use-current-user';
import { StateBadge } from '@/components/state-badge';
import { ATTACK_INFO } from '@/domain/attacks';
import type { Experiment } from '@/domain/experiment';
import { HaltButton } from './halt-button';
import { StartControl } from './start-control';

// Duplicate / carry over / export load after the page: their code (YAML included) is not
// needed to watch an experiment, and the monitor page must stay light.
const DesignActions = lazy(() =>
  import('./designer/design-actions').then((m) => ({ default: m.DesignActions })),
);

/** Name, state, hypothesis and the controls of one experiment. */
export function ExperimentHeader({ experiment }: { experiment: Experiment }) {
  const canEdit = useCan('experiment.write');
  return (
    <header className="flex flex-col gap-3">
      <nav aria-label="Breadcrumb" className="text-sm text-muted">
        <Link to="/experiments" className="underline-offset-2 hover:underline">
          Experiments
        </Link>{' '}
        / {experiment.name}
      </nav>
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-bold">{experiment.name}</h1>
        <StateBadge state={experiment.state} />
        <span className="text-muted">
          {ATTACK_INFO[experiment.attack.type].label} · {experiment.service} ·{' '}
          {experiment.environment}
        </span>
      </div>
      <p className="max-w-4xl text-muted">
        <span className="font-semibold text-fg">Hypothesis: </span>
        {experiment.hypothesis}
      </p>
      <div className="flex flex-wrap items-center gap-3">
        <StartControl experiment={experiment} />
        <HaltButton experiment={experiment} />
        {canEdit && experiment.state === 'draft' && (
          <Link
            to={`/experiments/${experiment.id}/edit`}
            className="rounded-md border border-line px-3 py-1.5 text-sm font-semibold hover:border-muted"
          >
            Edit
          </Link>
        )}
        <Suspense fallback={null}>
          <DesignActions experiment={experiment} />
        </Suspense>
      </div>
    </header>
  );
}
