import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useBackend } from '@/lib/backend-context';
import { ErrorMessage } from '@/components/error-message';
import { ATTACK_INFO, formatMagnitude } from '@/domain/attacks';
import { formatDuration } from '@/domain/ramp';
import { runProgress } from '@/lib/run-progress';
import { useServerNow } from '@/lib/live/use-server-now';
import { experimentListQuery } from '@/lib/queries/experiments';

/** What is running now, everywhere: progress through the ramp and the step in force. */
export function RunningExperiments() {
  const backend = useBackend();
  const running = useQuery(experimentListQuery(backend, { state: 'running' }));
  const now = useServerNow();
  return (
    <section aria-labelledby="running-heading" className="flex flex-col gap-2">
      <h2 id="running-heading" className="text-lg font-bold">
        Running now {running.data && <span className="text-muted">({running.data.length})</span>}
      </h2>
      {running.error && <ErrorMessage error={running.error} retry={() => void running.refetch()} />}
      {running.data?.length === 0 && <p className="text-muted">Nothing is running.</p>}
      <ul className="grid gap-3 md:grid-cols-2 2xl:grid-cols-3">
        {running.data?.map((experiment) => {
          const progress = runProgress(experiment, now);
          return (
            <li key={experiment.id} className="rounded-lg border-2 border-warn/70 bg-surface p-3">
              <Link
                to={`/experiments/${experiment.id}`}
                className="font-semibold text-accent underline-offset-2 hover:underline"
              >
                {experiment.name}
              </Link>
              <p className="text-sm text-muted">
                {ATTACK_INFO[experiment.attack.type].label} at{' '}
                {formatMagnitude(experiment.attack.type, progress.magnitude)} · {experiment.service}{' '}
                · {experiment.environment}
              </p>
              <p className="mt-1 text-sm">
                Step {progress.stepIndex === null ? '–' : progress.stepIndex + 1} of{' '}
                {progress.stepCount} · {formatDuration(progress.leftSeconds)} left
              </p>
              <div
                role="progressbar"
                aria-label={`${experiment.name} progress`}
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={Math.round(progress.fraction * 100)}
                className="mt-2 h-2 overflow-hidden rounded bg-raised"
              >
                <div className="h-full bg-warn" style={{ width: `${progress.fraction * 100}%` }} />
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
