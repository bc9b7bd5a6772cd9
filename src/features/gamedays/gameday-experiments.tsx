import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { StateBadge } from '@/components/state-badge';
import type { Experiment } from '@/domain/experiment';

interface GamedayExperimentsProps {
  experimentIds: readonly string[];
  experiments: ReadonlyMap<string, Experiment>;
  /** Start / halt controls for one experiment, supplied by the page that composes this one. */
  controls?: ((experiment: Experiment) => ReactNode) | undefined;
}

/** The experiments of the game day, in the order they are run. */
export function GamedayExperiments({
  experimentIds,
  experiments,
  controls,
}: GamedayExperimentsProps) {
  return (
    <section aria-labelledby="gameday-experiments-heading" className="flex flex-col gap-3">
      <h2 id="gameday-experiments-heading" className="text-lg font-bold">
        Experiments, in order
      </h2>
      {experimentIds.length === 0 && <p className="text-muted">No experiments planned.</p>}
      <ol className="flex flex-col gap-2">
        {experimentIds.map((id, index) => {
          const experiment = experiments.get(id);
          return (
            <li
              key={id}
              aria-label={experiment?.name ?? id}
              className="flex flex-wrap items-center gap-3 rounded-md border border-line bg-surface px-3 py-2"
            >
              <span className="font-mono text-muted">{index + 1}.</span>
              {experiment ? (
                <>
                  <Link to={`/experiments/${id}`} className="font-semibold hover:underline">
                    {experiment.name}
                  </Link>
                  <span className="text-sm text-muted">
                    {experiment.service}/{experiment.environment}
                  </span>
                  <StateBadge state={experiment.state} />
                  <div className="ml-auto print:hidden">{controls?.(experiment)}</div>
                </>
              ) : (
                <span className="text-muted">
                  Experiment {id} (not found: it may have been deleted)
                </span>
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
