import { plural } from '@/lib/format';
import type { HaltAllPhase } from './use-halt-all';

/**
 * What Halt all is doing, in words; announced to screen readers as it changes. Its width is
 * fixed and it sits left of the button, so no message moves the button.
 */
export function HaltAllStatus({ status }: { status: HaltAllPhase }) {
  let text = '';
  let tone = 'text-muted';
  switch (status.phase) {
    case 'pending':
      text = status.attempt > 1 ? `Halting… (attempt ${status.attempt})` : 'Halting…';
      tone = 'text-warn';
      break;
    case 'retrying':
      text = 'Retrying…';
      tone = 'text-warn';
      break;
    case 'confirmed':
      text =
        status.halted === 0
          ? 'Nothing was running'
          : `Halted ${plural(status.halted, 'experiment')}`;
      if (status.flagsKilled.length > 0)
        text += `, turned off ${plural(status.flagsKilled.length, 'flag')}: ${status.flagsKilled.join(', ')}`;
      tone = 'text-ok';
      break;
    case 'failed':
      text = 'Halt all failed';
      tone = 'text-danger';
      break;
  }
  const problem = status.phase === 'retrying' || status.phase === 'failed' ? status.problem : null;
  return (
    <div
      role="status"
      aria-live="assertive"
      className={`w-40 shrink-0 text-right text-sm font-semibold sm:w-64 ${tone}`}
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
