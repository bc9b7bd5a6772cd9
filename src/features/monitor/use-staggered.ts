import { useEffect, useState } from 'react';

/**
 * `value`, taken over `delayMs` after it changes. Charts that redraw their frame together
 * take them one task each (a chart's frame is a heavy render): no single long task.
 */
export function useStaggered<T>(value: T, delayMs: number, same: (a: T, b: T) => boolean): T {
  const [shown, setShown] = useState(value);
  const changed = !same(shown, value);
  useEffect(() => {
    if (!changed) return;
    const timer = setTimeout(() => setShown(value), delayMs);
    return () => clearTimeout(timer);
  }, [changed, value, delayMs]);
  return shown;
}
