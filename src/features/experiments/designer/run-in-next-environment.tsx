import { useState } from 'react';
import { Link } from 'react-router';
import { useCan } from '@/lib/use-current-user';
import { nextEnvironment, type Experiment } from '@/domain';
import { previousStageWarning } from './carry-over-banner';
import { newExperimentPath } from './paths';

const linkClass = 'inline-flex items-center rounded-md px-3 py-1.5 text-sm font-semibold';

/**
 * "Run in next environment": a copy for the next stage, its blast radius resolved there.
 * When this stage did not complete cleanly, it says so and asks before carrying on.
 */
export function RunInNextEnvironment({ experiment }: { experiment: Experiment }) {
  const allowed = useCan('experiment.write');
  const [asking, setAsking] = useState(false);
  const next = nextEnvironment(experiment.environment);
  if (!allowed || !next || experiment.state === 'running') return null;
  const to = newExperimentPath({ kind: 'next-environment', experimentId: experiment.id });
  const warning = previousStageWarning(experiment);

  if (!warning) {
    return (
      <Link
        to={to}
        className={`${linkClass} border border-accent text-accent hover:bg-accent hover:text-bg`}
      >
        Run in {next}
      </Link>
    );
  }
  return (
    <div className="flex flex-col items-start gap-2">
      <button
        type="button"
        onClick={() => setAsking(true)}
        className={`${linkClass} border border-warn text-warn`}
        aria-expanded={asking}
      >
        Run in {next}
      </button>
      {asking && (
        <div
          role="alert"
          className="flex max-w-xl flex-col gap-2 rounded-md border border-warn bg-warn/10 p-3 text-sm"
        >
          <p>{warning}</p>
          <div className="flex gap-2">
            <Link to={to} className={`${linkClass} border border-warn text-warn`}>
              Carry it to {next} anyway
            </Link>
            <button
              type="button"
              onClick={() => setAsking(false)}
              className={`${linkClass} border border-line`}
            >
              Not now
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
