import { useEffect } from 'react';
import { useBlocker, type Blocker } from 'react-router';

/**
 * Asks before leaving while `isDirty()` says there are unsaved changes: in-app navigation is
 * held by the router (the caller shows the question), a reload or a closed tab by the browser.
 * `isDirty` is read at the moment of leaving, so a save just before navigating is seen.
 */
export function useLeaveGuard(isDirty: () => boolean): Blocker {
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      currentLocation.pathname !== nextLocation.pathname && isDirty(),
  );

  useEffect(() => {
    function warn(event: BeforeUnloadEvent) {
      if (!isDirty()) return;
      event.preventDefault();
      // Older browsers show the prompt only when returnValue is set.
      event.returnValue = '';
    }
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [isDirty]);

  return blocker;
}
