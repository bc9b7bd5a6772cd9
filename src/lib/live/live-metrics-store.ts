import { create } from 'zustand';
import { METRICS, seriesKey, type Metric, type MetricSample } from '@/domain/metrics';
import { RingBuffer } from '@/domain/ring-buffer';

/** One hour of samples per series, at the stream's rate (the fastest tick is 100 ms). */
const SERIES_MAX_AGE_MS = 3_600_000;
export const SERIES_CAPACITY = SERIES_MAX_AGE_MS / 100;
/** A silence longer than this many sample intervals is drawn as a gap. */
const GAP_FACTOR = 2.5;

interface LiveMetricsState {
  /** Bumped per series on every change, so a chart re-renders only for its own series. */
  revisions: Record<string, number>;
  /** The newest sample received per series (for tables of current values). */
  latest: Record<string, MetricSample>;
  /** Time of the newest sample received (epoch ms). */
  newestSampleAt: number | null;
  /** The stream's sample interval as observed (ms). */
  intervalMs: number;
  /** Server clock minus browser clock, as of the newest tick (ms): durations use the server's time. */
  clockOffsetMs: number;
}

const initialState: LiveMetricsState = {
  revisions: {},
  latest: {},
  newestSampleAt: null,
  intervalMs: 1000,
  clockOffsetMs: 0,
};

/** The live metric series the charts read: bounded ring buffers, outside React state. */
export const useLiveMetrics = create<LiveMetricsState>()(() => initialState);

const buffers = new Map<string, RingBuffer>();
const recentDeltas: number[] = [];
let previousTickAt: number | null = null;

export const metricColumn = (metric: Metric): number => METRICS.indexOf(metric);

export function getSeries(key: string): RingBuffer | undefined {
  return buffers.get(key);
}

function newBuffer(): RingBuffer {
  return new RingBuffer(METRICS.length, SERIES_CAPACITY, SERIES_MAX_AGE_MS);
}

function pushSample(
  buffer: RingBuffer,
  t: number,
  values: ArrayLike<number>,
  intervalMs: number,
): void {
  const newest = buffer.newestTime();
  if (newest !== null && t <= newest) return;
  if (newest !== null && t - newest > GAP_FACTOR * intervalMs) buffer.pushGap(newest + intervalMs);
  buffer.push(t, values);
}

const rowOf = (sample: MetricSample): number[] => METRICS.map((metric) => sample.values[metric]);

function learnInterval(t: number): number {
  const { intervalMs } = useLiveMetrics.getState();
  if (previousTickAt !== null && t > previousTickAt) {
    recentDeltas.push(t - previousTickAt);
    if (recentDeltas.length > 9) recentDeltas.shift();
  }
  previousTickAt = t;
  if (recentDeltas.length === 0) return intervalMs;
  const sorted = [...recentDeltas].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? intervalMs;
}

/** Folds one tick of the stream into the series; `receivedAt` is the browser's time of arrival. */
export function appendSamples(
  t: number,
  samples: readonly MetricSample[],
  receivedAt = Date.now(),
): void {
  const intervalMs = learnInterval(t);
  const state = useLiveMetrics.getState();
  const revisions = { ...state.revisions };
  const latest = { ...state.latest };
  let newest = state.newestSampleAt;
  for (const sample of samples) {
    const key = seriesKey(sample);
    let buffer = buffers.get(key);
    if (!buffer) buffers.set(key, (buffer = newBuffer()));
    pushSample(buffer, sample.t, rowOf(sample), intervalMs);
    revisions[key] = (revisions[key] ?? 0) + 1;
    latest[key] = sample;
    newest = Math.max(newest ?? sample.t, sample.t);
  }
  // The offset moves by network jitter on every tick; only a real change is worth a re-render.
  const offset = t - receivedAt;
  const clockOffsetMs = Math.abs(offset - state.clockOffsetMs) > 500 ? offset : state.clockOffsetMs;
  useLiveMetrics.setState({ revisions, latest, newestSampleAt: newest, intervalMs, clockOffsetMs });
}

/** Puts history from the API before the live samples of the same series (nothing is duplicated). */
export function mergeHistory(samples: readonly MetricSample[]): void {
  const { intervalMs } = useLiveMetrics.getState();
  const byKey = new Map<string, MetricSample[]>();
  for (const sample of samples) {
    const key = seriesKey(sample);
    byKey.set(key, [...(byKey.get(key) ?? []), sample]);
  }
  if (byKey.size === 0) return;
  const revisions = { ...useLiveMetrics.getState().revisions };
  for (const [key, history] of byKey) {
    const existing = buffers.get(key);
    const oldest = existing?.oldestTime() ?? Number.POSITIVE_INFINITY;
    const older = history.filter((s) => s.t < oldest).sort((a, b) => a.t - b.t);
    if (older.length === 0) continue;
    const merged = newBuffer();
    for (const sample of older) pushSample(merged, sample.t, rowOf(sample), intervalMs);
    if (existing) copyRows(existing, merged, intervalMs);
    buffers.set(key, merged);
    revisions[key] = (revisions[key] ?? 0) + 1;
  }
  useLiveMetrics.setState({ revisions });
}

function copyRows(from: RingBuffer, to: RingBuffer, intervalMs: number): void {
  const row: number[] = new Array(from.columnCount);
  for (let i = 0; i < from.length; i++) {
    if (from.isGap(i)) {
      to.pushGap(from.timeAt(i));
      continue;
    }
    for (let c = 0; c < from.columnCount; c++) row[c] = from.valueAt(i, c);
    pushSample(to, from.timeAt(i), row, intervalMs);
  }
}

/** Nothing is known from here until the next sample: every series breaks its line. */
export function markGap(): void {
  const revisions = { ...useLiveMetrics.getState().revisions };
  for (const [key, buffer] of buffers) {
    const newest = buffer.newestTime();
    if (newest === null) continue;
    buffer.pushGap(newest + 1);
    revisions[key] = (revisions[key] ?? 0) + 1;
  }
  useLiveMetrics.setState({ revisions });
}

export function resetLiveMetrics(): void {
  buffers.clear();
  recentDeltas.length = 0;
  previousTickAt = null;
  useLiveMetrics.setState(initialState, true);
}
