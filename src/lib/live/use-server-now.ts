import { useNow } from '@/lib/use-now';
import { useLiveMetrics } from './live-metrics-store';

/**
 * The server's current time (epoch ms), refreshed every second: this browser's clock
 * corrected by the offset seen on the stream, so countdowns and ages agree with the
 * server's timestamps even when the two clocks differ.
 */
export function useServerNow(intervalMs = 1000): number {
  const offset = useLiveMetrics((s) => s.clockOffsetMs);
  return useNow(intervalMs) + offset;
}
