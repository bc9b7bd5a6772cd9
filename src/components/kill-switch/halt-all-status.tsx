import { plural } from '@/lib/format';
import type { HaltAllStatus as Status } from './use-halt-all';

/**
 * What Halt all is doing, in words; announced to screen readers as it changes. Its width is
 * fixed and it sits left of the button, so no message moves the button.
 */
export function HaltAllStatus({ status }: { status: Status }) {
  let text = '';
  let tone = 'text-muted';
  let problem: string | null = null;
  switch (status.phase) {
    case 'pending':
      text = status.attempt > 1 ? `Halting… (attempt ${status.attempt})` : 'Halting…';
      tone = 'text-warn';
      problem = status.problem;
      break;
    case 'confirmed': {
      const { halted, flagsKilled } = status.answer;
      text =
        halted.length === 0
          ? 'Nothing was running'
          : `Halted ${plural(halted.length, 'experiment')}`;
      if (flagsKilled.length > 0)
        text += `, turned off ${plural(flagsKilled.length, 'flag')}: ${flagsKilled.join(', ')}`;
      tone = 'text-ok';
      break;
    }
    case 'failed':
      text = 'Halt all failed';
      tone = 'text-danger';
      problem = status.problem;
      break;
  }
  return (
    <div
      role="status"
      aria-live="assertive"
      className={`order-last w-full shrink-0 text-sm font-semibold empty:hidden sm:order-none sm:w-64 sm:text-right sm:empty:block ${tone}`}
    >
      {text}
      {problem && (
        <span className="block truncate text-xs font-normal text-muted" title={problem}>
          {problem}
        </span>
      )}
    </div>
  );
}
