import type { RolloutState } from '@/domain/rollouts';

const STYLES: Record<RolloutState, string> = {
  progressing: 'border-warn text-warn',
  paused: 'border-muted text-muted',
  held: 'border-warn text-warn',
  succeeded: 'border-ok text-ok',
  'rolled-back': 'border-danger text-danger',
  aborted: 'border-danger text-danger',
};

export function RolloutStateBadge({ state }: { state: RolloutState }) {
  return (
    <span
      className={
        'inline-block rounded-full border px-2 py-0.5 text-xs font-semibold whitespace-nowrap ' +
        `uppercase tracking-wide ${STYLES[state]}`
      }
    >
      {state === 'progressing' && <span aria-hidden="true">● </span>}
      {state}
    </span>
  );
}
