import { useState } from 'react';
import { Button } from '@/components/button';
import { ErrorMessage } from '@/components/error-message';
import { useCan } from '@/lib/use-current-user';
import { CONTROL_FROM, type Rollout, type RolloutControl } from '@/domain/rollouts';
import { AbortDialog } from './abort-dialog';
import { useAbortRollout, useRolloutControl } from './use-rollout-control';

const LABELS: Record<Exclude<RolloutControl, 'abort'>, [idle: string, pending: string]> = {
  promote: ['Promote', 'Promoting…'],
  'promote-full': ['Promote fully', 'Promoting fully…'],
  pause: ['Pause', 'Pausing…'],
  resume: ['Resume', 'Resuming…'],
  retry: ['Retry', 'Retrying…'],
};

const ORDER: Exclude<RolloutControl, 'abort'>[] = [
  'promote',
  'promote-full',
  'resume',
  'retry',
  'pause',
];

/**
 * The controls a person expects from Argo Rollouts, each shown only when the rollout's state
 * allows it and the person's role may use it. Pause and abort are anyone's: stopping is never
 * blocked. Abort asks once, then is sent until the backend confirms.
 */
export function RolloutControls({ rollout }: { rollout: Rollout }) {
  const canWrite = useCan('rollout.write');
  const canStop = useCan('rollout.stop');
  const control = useRolloutControl(rollout.id);
  const abort = useAbortRollout(rollout.id);
  const [confirming, setConfirming] = useState(false);
  const allowed = (c: RolloutControl) =>
    CONTROL_FROM[c].includes(rollout.state) &&
    (c === 'pause' || c === 'abort' ? canStop : canWrite);
  const busy = control.isPending ? control.variables : null;
  const aborting = abort.status.phase === 'pending';
  const shown = ORDER.filter(allowed);

  return (
    <div className="flex flex-col gap-2">
      <div role="group" aria-label="Rollout controls" className="flex flex-wrap items-center gap-2">
        {shown.map((c) => {
          const [idle, pending] = LABELS[c];
          return (
            <Button
              key={c}
              tone={c === 'promote' || c === 'resume' || c === 'retry' ? 'primary' : 'plain'}
              disabled={busy !== null || aborting}
              aria-busy={busy === c}
              onClick={() => control.mutate(c)}
            >
              {busy === c ? pending : idle}
            </Button>
          );
        })}
        {(allowed('abort') || aborting) && (
          <Button
            tone="danger"
            aria-busy={aborting}
            disabled={aborting}
            onClick={() => setConfirming(true)}
          >
            {aborting ? 'Aborting…' : 'Abort'}
          </Button>
        )}
      </div>
      {abort.status.phase === 'pending' && abort.status.problem && (
        <p role="status" className="text-sm text-warn">
          Abort not confirmed yet, trying again (attempt {abort.status.attempt}):{' '}
          {abort.status.problem}
        </p>
      )}
      {abort.status.phase === 'failed' && (
        <p role="alert" className="text-sm text-danger">
          Abort failed: {abort.status.problem}
        </p>
      )}
      {control.error && (
        <ErrorMessage error={control.error} retry={() => control.mutate(control.variables)} />
      )}
      {confirming && (
        <AbortDialog
          rollout={rollout}
          onCancel={() => setConfirming(false)}
          onAbort={(reason) => {
            setConfirming(false);
            abort.press(reason);
          }}
        />
      )}
    </div>
  );
}
