import { Button } from '@/components/button';
import { ErrorMessage } from '@/components/error-message';
import type { Experiment } from '@/domain/experiment';
import { useHaltExperiment } from './use-experiment-actions';

/** Stops this one experiment: one press, any signed-in person. */
export function HaltButton({ experiment }: { experiment: Experiment }) {
  const halt = useHaltExperiment(experiment.id);
  if (experiment.state !== 'running') return null;
  return (
    <div className="flex flex-wrap items-center gap-3">
      <Button
        tone="danger"
        onClick={() => halt.mutate()}
        aria-busy={halt.isPending}
        className="px-5 py-2 text-base"
      >
        {halt.isPending ? 'Halting…' : 'Halt'}
      </Button>
      {halt.error && <ErrorMessage error={halt.error} retry={() => halt.mutate()} />}
    </div>
  );
}
