import type { Experiment } from '@/domain/experiment';
import type { Gameday } from '@/domain/gamedays';
import { ErrorMessage } from '@/components/error-message';
import { useTickStep } from './use-gameday-actions';
import { clockTime } from './when';

interface RunbookChecklistProps {
  gameday: Gameday;
  experiments: ReadonlyMap<string, Experiment>;
  /** Whether the person may tick (their role may plan game days). */
  canTick: boolean;
}

/** The runbook: each step ticked by a person, who and when shown beside it. */
export function RunbookChecklist({ gameday, experiments, canTick }: RunbookChecklistProps) {
  const tick = useTickStep(gameday.id);
  const done = gameday.runbook.filter((s) => s.tickedAt !== null).length;
  return (
    <section aria-labelledby="runbook-heading" className="flex flex-col gap-3">
      <h2 id="runbook-heading" className="text-lg font-bold">
        Runbook{' '}
        <span className="text-sm font-normal text-muted">
          ({done} of {gameday.runbook.length} done)
        </span>
      </h2>
      {gameday.runbook.length === 0 && <p className="text-muted">No steps planned.</p>}
      <ol className="flex flex-col gap-1.5">
        {gameday.runbook.map((step, index) => {
          const experiment = step.experimentId ? experiments.get(step.experimentId) : undefined;
          const pending = tick.isPending && tick.variables?.stepId === step.id;
          return (
            <li
              key={step.id}
              className="flex flex-wrap items-start gap-x-3 gap-y-1 rounded-md border border-line bg-surface px-3 py-2"
            >
              <label className="flex min-w-0 flex-1 items-start gap-2">
                <input
                  type="checkbox"
                  checked={step.tickedAt !== null}
                  disabled={!canTick || pending}
                  onChange={(event) => tick.mutate({ stepId: step.id, done: event.target.checked })}
                  className="mt-1 size-4 accent-[var(--fl-ok)]"
                />
                <span className={step.tickedAt !== null ? 'text-muted line-through' : ''}>
                  {index + 1}. {step.text}
                </span>
              </label>
              {step.experimentId && (
                <span className="rounded-full border border-line px-2 text-xs text-muted">
                  {experiment?.name ?? step.experimentId}
                </span>
              )}
              {step.tickedAt !== null && (
                <span className="text-sm text-ok">
                  Done by {step.tickedBy} at{' '}
                  <time dateTime={new Date(step.tickedAt).toISOString()}>
                    {clockTime(step.tickedAt)}
                  </time>
                </span>
              )}
            </li>
          );
        })}
      </ol>
      {tick.error && <ErrorMessage error={tick.error} />}
    </section>
  );
}
