import { useState } from 'react';
import { useNavigate } from 'react-router';
import { ErrorMessage } from '@/components/error-message';
import type { Flag } from '@/domain/flags';
import { useDeleteFlag } from './use-flag-actions';

/** Deleting a flag: applications asking for it get their own default (FLAG_NOT_FOUND). Asks twice. */
export function FlagDangerZone({ flag }: { flag: Flag }) {
  const navigate = useNavigate();
  const remove = useDeleteFlag();
  const [confirming, setConfirming] = useState(false);
  return (
    <section
      aria-label="Delete"
      className="flex flex-wrap items-center gap-3 rounded-lg border border-danger/40 p-3 text-sm"
    >
      <span className="text-muted">
        Applications that still ask for {flag.key} will get their own default.
      </span>
      {confirming ? (
        <>
          <button
            type="button"
            className="rounded-md bg-danger-strong px-3 py-1 font-semibold text-white"
            onClick={() => remove.mutate(flag, { onSuccess: () => void navigate('/flags') })}
          >
            Delete {flag.key} for good
          </button>
          <button
            type="button"
            className="rounded-md border border-line px-3 py-1"
            onClick={() => setConfirming(false)}
          >
            Keep it
          </button>
        </>
      ) : (
        <button
          type="button"
          className="rounded-md border border-danger px-3 py-1 font-semibold text-danger"
          onClick={() => setConfirming(true)}
        >
          Delete flag
        </button>
      )}
      {remove.error && <ErrorMessage error={remove.error} />}
    </section>
  );
}
