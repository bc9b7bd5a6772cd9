import { create } from 'zustand';
import { seriesKey, type MetricSample, type MetricsGapInfo } from '@/domain/metrics';

/** A series the server's metrics source cannot read: why, and since when (server epoch ms). */
interface SeriesGap {
  reason: string;
  since: number;
}

interface MetricGapsState {
  /** By series key; a series leaves as soon as a sample of it arrives. */
  gaps: Record<string, SeriesGap>;
}

/** The series the stream says are unreadable (Prometheus down, no series, NaN): shown as stale. */
export const useMetricGaps = create<MetricGapsState>()(() => ({ gaps: {} }));

/** Folds one `metrics` event in: its gaps open or stay open, its samples close theirs. */
export function applyMetricGaps(
  t: number,
  samples: readonly MetricSample[],
  gaps: readonly MetricsGapInfo[],
): void {
  const before = useMetricGaps.getState().gaps;
  let next: Record<string, SeriesGap> | null = null;
  for (const sample of samples) {
    const key = seriesKey(sample);
    if (!(key in before)) continue;
    next ??= { ...before };
    delete next[key];
  }
  for (const gap of gaps) {
    const key = seriesKey(gap);
    const known = (next ?? before)[key];
    if (known?.reason === gap.reason) continue;
    next ??= { ...before };
    next[key] = { reason: gap.reason, since: known?.since ?? t };
  }
  if (next) useMetricGaps.setState({ gaps: next });
}

export function resetMetricGaps(): void {
  useMetricGaps.setState({ gaps: {} }, true);
}
