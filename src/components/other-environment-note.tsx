import type { Environment } from '@/domain/environments';
import { useViewSettings } from '@/lib/view-settings';

/**
 * Said plainly wherever a screen shows another environment than the header's: the header's
 * choice is what every screen starts on, so a difference must never go unnoticed.
 */
export function OtherEnvironmentNote({ shown, what }: { shown: Environment; what: string }) {
  const inView = useViewSettings((s) => s.environment);
  if (shown === inView) return null;
  return (
    <p role="note" className="rounded-md border border-warn/60 bg-warn/10 px-3 py-1.5 text-sm">
      {what} <strong>{shown}</strong>, not <strong>{inView}</strong> as the header says.
    </p>
  );
}
