import { Button } from '@/components/button';
import type { Experiment } from '@/domain/experiment';
import type { StopTiming } from '@/lib/use-stop';
import { useHaltExperiment } from './use-experiment-actions';

/**
 * Stops this one experiment: one press, any signed-in person. Pending until the backend
 * confirms, and retried until it does; what it is doing is written next to it.
 */
export function HaltButton({
  experiment,
  timing,
}: {
  experiment: Experiment;
  timing?: StopTiming;
}) {
  const { status, press } = useHaltExperiment(experiment.id, timing);
  if (experiment.state !== 'running' && status.phase !== 'pending') return null;
  const pending = status.phase === 'pending';
  let text = '';
  let problem: string | null = null;
  if (status.phase === 'pending') {
    text = status.attempt > 1 ? `Halting… (attempt ${status.attempt})` : 'Halting…';
    problem = status.problem;
  } else if (status.phase === 'confirmed') text = 'Halted';
  else if (status.phase === 'failed') {
    text = 'Halt failed';
    problem = status.problem;
  }
  return (
    <div className="flex flex-wrap items-center gap-3">
      <Button
        tone="danger"
        onClick={() => press(undefined)}
        aria-busy={pending}
        className="px-5 py-2 text-base"
      >
        Halt
      </Button>
      <p
        role="status"
        aria-label="Halt"
        className={`text-sm font-semibold ${status.phase === 'failed' ? 'text-danger' : 'text-warn'}`}
      >
        {text}
        {problem && <span className="block font-normal text-muted">{problem}</span>}
      </p>
    </div>
  );
}
