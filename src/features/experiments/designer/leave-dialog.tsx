import type { Blocker } from 'react-router';
import { Button } from '@/components/button';

/** "You have unsaved changes": shown while the router holds a navigation away from the designer. */
export function LeaveDialog({ blocker }: { blocker: Blocker }) {
  if (blocker.state !== 'blocked') return null;
  return (
    <div className="fixed inset-0 z-50 flex items-center justify-center bg-bg/70">
      <div
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="leave-title"
        aria-describedby="leave-text"
        className="max-w-md rounded-lg border border-line bg-surface p-5 shadow-xl"
      >
        <h2 id="leave-title" className="text-lg font-semibold">
          Leave with unsaved changes?
        </h2>
        <p id="leave-text" className="mt-2 text-sm text-muted">
          The server does not have your latest changes. They stay in this browser as a draft, and
          come back when you open the designer again.
        </p>
        <div className="mt-4 flex justify-end gap-2">
          <Button autoFocus onClick={() => blocker.reset?.()}>
            Stay
          </Button>
          <Button tone="danger" onClick={() => blocker.proceed?.()}>
            Leave
          </Button>
        </div>
      </div>
    </div>
  );
}
