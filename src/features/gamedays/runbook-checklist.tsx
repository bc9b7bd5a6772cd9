import { useRef, useState, type MouseEvent } from 'react';
import type { Experiment } from '@/domain/experiment';
import type { Gameday } from '@/domain/gamedays';
import { ErrorMessage } from '@/components/error-message';
import { useTickStep } from './use-gameday-actions';
import { clockTime } from './when';

/** Two clicks on one step closer than this (ms) are one double click, not tick then untick. */
const DOUBLE_CLICK_MS = 500;

interface RunbookChecklistProps {
  gameday: Gameday;
  experiments: ReadonlyMap<string, Experiment>;
  /** Whether the person may tick (their role may plan game days). */
  canTick: boolean;
}

/**
 * The runbook: each step ticked by a person, who and when shown beside it. A tick shows at
 * once (the server's answer follows); the second click of a double click is not taken as
 * "untick".
 */
export function RunbookChecklist({ gameday, experiments, canTick }: RunbookChecklistProps) {
  const tick = useTickStep(gameday.id);
  /** What the person asked for, per step, until the server's runbook says the same. */
  const lastClick = useRef<{ stepId: string; at: number } | null>(null);
  const [wanted, setWanted] = useState<Record<string, boolean>>({});
  const isDone = (step: Gameday['runbook'][number]) => wanted[step.id] ?? step.tickedAt !== null;
  const toggle = (step: Gameday['runbook'][number], event: MouseEvent<HTMLInputElement>) => {
    const last = lastClick.current;
    lastClick.current = { stepId: step.id, at: event.timeStamp };
    if (
      event.detail > 1 ||
      (last?.stepId === step.id && event.timeStamp - last.at < DOUBLE_CLICK_MS)
    )
      return; // the controlled box goes back to what `checked` says
    const next = !isDone(step);
    setWanted((w) => ({ ...w, [step.id]: next }));
    tick.mutate(
      { stepId: step.id, done: next },
      {
        onSettled: () => setWanted(({ [step.id]: _settled, ...rest }) => rest),
      },
    );
  };
  const done = gameday.runbook.filter(isDone).length;
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
          const checked = isDone(step);
          return (
            <li
              key={step.id}
              className="flex flex-wrap items-start gap-x-3 gap-y-1 rounded-md border border-line bg-surface px-3 py-2"
            >
              <label className="flex min-w-0 flex-1 items-start gap-2">
                <input
                  type="checkbox"
                  checked={checked}
                  disabled={!canTick}
                  onClick={(event) => toggle(step, event)}
                  onChange={() => undefined}
                  className="mt-1 size-4 accent-[var(--fl-ok)]"
                />
                <span className={checked ? 'text-muted line-through' : ''}>
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
