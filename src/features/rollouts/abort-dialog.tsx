import { useId, useState } from 'react';
import { Button } from '@/components/button';
import { inputClass } from '@/components/field';
import type { Rollout } from '@/domain/rollouts';

interface AbortDialogProps {
  rollout: Rollout;
  onAbort: (reason: string) => void;
  onCancel: () => void;
}

/** "Abort this rollout?": all traffic back on stable at once, skipping analysis. */
export function AbortDialog({ rollout, onAbort, onCancel }: AbortDialogProps) {
  const [reason, setReason] = useState('');
  const id = useId();
  const back = rollout.spec.kind === 'canary' ? 'stable' : 'the flag’s off variant';
  return (
    <div className="fixed inset-0 z-50 flex items-center justify-center bg-bg/70 p-4">
      <form
        role="alertdialog"
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-text`}
        className="w-full max-w-md rounded-lg border border-line bg-surface p-5 shadow-xl"
        onSubmit={(e) => {
          e.preventDefault();
          onAbort(reason);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onCancel();
        }}
      >
        <h2 id={`${id}-title`} className="text-lg font-semibold">
          Abort {rollout.spec.name}?
        </h2>
        <p id={`${id}-text`} className="mt-2 text-sm text-muted">
          All traffic goes back to {back} now, without waiting for an analysis. The rollout can be
          retried from its first step later.
        </p>
        <label htmlFor={`${id}-reason`} className="mt-3 block text-sm font-semibold text-muted">
          Reason (optional)
        </label>
        <input
          id={`${id}-reason`}
          className={`${inputClass} mt-1 w-full`}
          value={reason}
          maxLength={500}
          onChange={(e) => setReason(e.target.value)}
        />
        <div className="mt-4 flex justify-end gap-2">
          <Button onClick={onCancel}>Keep it running</Button>
          <Button type="submit" tone="danger" autoFocus>
            Abort now
          </Button>
        </div>
      </form>
    </div>
  );
}
