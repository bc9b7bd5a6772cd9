import { plural } from '@/lib/format';
import type { HaltAllPhase } from './use-halt-all';

/** What Halt all is doing, in words; announced to screen readers as it changes. */
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
      if (status.flagsKilled > 0) text += `, turned off ${plural(status.flagsKilled, 'flag')}`;
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
      className={`min-w-0 max-w-64 text-sm font-semibold ${tone}`}
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
