import type { ExperimentState } from '@/domain/lifecycle';

const STYLES: Record<ExperimentState, string> = {
  draft: 'border-line text-muted',
  running: 'border-warn text-warn',
  completed: 'border-ok text-ok',
  aborted: 'border-danger text-danger',
  halted: 'border-danger text-danger',
  interrupted: 'border-muted text-muted',
};

export function StateBadge({ state }: { state: ExperimentState }) {
  return (
    <span
      className={`inline-block rounded-full border px-2 py-0.5 text-xs font-semibold uppercase tracking-wide ${STYLES[state]}`}
    >
      {state === 'running' && <span aria-hidden="true">● </span>}
      {state}
    </span>
  );
}
