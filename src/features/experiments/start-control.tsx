import { useId, useState, type FormEvent } from 'react';
import { useCan } from '@/lib/use-current-user';
import { Button } from '@/components/button';
import { ErrorMessage } from '@/components/error-message';
import type { Experiment } from '@/domain/experiment';
import { useStartExperiment } from './use-experiment-actions';

/**
 * Start, for those whose role may start (sre, admin) and only for a draft. Production asks
 * for its name typed again. A refusal (steady state already broken, no instance matched)
 * is shown next to the button.
 */
export function StartControl({ experiment }: { experiment: Experiment }) {
  const allowed = useCan('experiment.start');
  const confirmId = useId();
  const [typed, setTyped] = useState('');
  const start = useStartExperiment(experiment.id);
  if (!allowed || experiment.state !== 'draft') return null;

  const production = experiment.environment === 'production';
  const confirmed = !production || typed.trim() === 'production';
  function submit(event: FormEvent) {
    event.preventDefault();
    if (!confirmed) return;
    start.mutate({
      version: experiment.version,
      ...(production ? { confirmEnvironment: 'production' } : {}),
    });
  }

  return (
    <form onSubmit={submit} className="flex flex-wrap items-end gap-3">
      {production && (
        <div className="flex flex-col text-sm">
          <label htmlFor={confirmId} className="text-danger">
            Type <strong>production</strong> to start here
          </label>
          <input
            id={confirmId}
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            autoComplete="off"
            className="rounded-md border border-danger bg-raised px-2 py-1"
          />
        </div>
      )}
      <Button
        type="submit"
        tone="primary"
        disabled={!confirmed || start.isPending}
        className="px-5 py-2 text-base"
      >
        {start.isPending ? 'Starting…' : 'Start'}
      </Button>
      {start.error && <ErrorMessage error={start.error} className="max-w-xl" />}
    </form>
  );
}
