import { useEffect, useId, useRef, useState } from 'react';
import type { Environment } from '@/domain/environments';
import type { FlagState } from '@/domain/flags';

interface FlagSwitchDialogProps {
  flagKey: string;
  environment: Environment;
  target: FlagState;
  onConfirm: (comment: string) => void;
  onCancel: () => void;
}

/**
 * The one confirmation before a flag switches: what will happen, where, and a place for why.
 * The confirm button has the focus, so Enter (or one click) acts; Escape cancels.
 */
export function FlagSwitchDialog({
  flagKey,
  environment,
  target,
  onConfirm,
  onCancel,
}: FlagSwitchDialogProps) {
  const titleId = useId();
  const commentId = useId();
  const confirmRef = useRef<HTMLButtonElement>(null);
  const [comment, setComment] = useState('');
  useEffect(() => confirmRef.current?.focus(), []);
  const verb = target === 'off' ? 'Turn off' : 'Turn on';
  return (
    <div
      className="fixed inset-0 z-50 flex items-center justify-center bg-black/50 p-4"
      onKeyDown={(e) => e.key === 'Escape' && onCancel()}
    >
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        className="flex w-full max-w-md flex-col gap-3 rounded-lg border border-line bg-surface p-4 text-sm text-fg shadow-xl"
      >
        <h2 id={titleId} className="text-lg font-bold">
          {verb} <span className="font-mono">{flagKey}</span> in {environment}?
        </h2>
        <p>
          {target === 'off'
            ? `At once, everyone in ${environment} gets the off variant.`
            : `At once, ${environment} serves this flag's targeting again.`}
          {environment === 'production' && (
            <strong className="ml-1 text-warn">This is production.</strong>
          )}
        </p>
        <label htmlFor={commentId} className="flex flex-col gap-1 font-semibold">
          Comment (optional)
          <textarea
            id={commentId}
            rows={2}
            maxLength={500}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            placeholder="Why? Kept in the flag's history and the audit log"
            className="rounded border border-line bg-bg px-2 py-1 font-normal"
          />
        </label>
        <div className="flex justify-end gap-2">
          <button
            type="button"
            onClick={onCancel}
            className="rounded-md border border-line px-3 py-1.5"
          >
            Cancel
          </button>
          <button
            ref={confirmRef}
            type="button"
            onClick={() => onConfirm(comment.trim())}
            className={`rounded-md px-3 py-1.5 font-bold ${target === 'off' ? 'bg-danger-strong text-white' : 'bg-accent text-bg'}`}
          >
            {verb} now
          </button>
        </div>
      </div>
    </div>
  );
}
