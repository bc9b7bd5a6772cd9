import type { RingBuffer } from '@/domain/ring-buffer';

/** One point to draw; `value: null` breaks the line (a gap: nothing is known there). */
interface ChartPoint {
  t: number;
  value: number | null;
}

/**
 * Points to draw, as two parallel arrays (no object per point: a monitor redraws thousands
 * of them on every sample). `value` NaN is a gap.
 */
export interface SeriesPoints {
  t: Float64Array;
  value: Float64Array;
  length: number;
}

export const NO_POINTS: SeriesPoints = {
  t: new Float64Array(0),
  value: new Float64Array(0),
  length: 0,
};

/** The points as objects, gaps as null: for reading and for tests. */
export function chartPoints(points: SeriesPoints): ChartPoint[] {
  return Array.from({ length: points.length }, (_, i) => {
    const value = points.value[i] ?? Number.NaN;
    return { t: points.t[i] ?? 0, value: Number.isNaN(value) ? null : value };
  });
}

/** Drawing more points than a chart has pixels buys nothing. */
export const MAX_POINTS_PER_SERIES = 500;

/**
 * The rows of one column between `from` and `to` (epoch ms, inclusive), reduced to at most
 * `maxPoints` by min/max buckets: each bucket keeps its lowest and highest sample, so a
 * spike survives the reduction. Every point returned is a real sample; gaps stay gaps.
 * The bound holds while the window has fewer than maxPoints / 3 gaps.
 */
export function downsampleMinMax(
  buffer: RingBuffer,
  column: number,
  from: number,
  to: number,
  maxPoints: number = MAX_POINTS_PER_SERIES,
): SeriesPoints {
  const first = buffer.lowerBound(from);
  const end = buffer.lowerBound(to + 1);
  const rows = end - first;
  if (rows <= 0) return NO_POINTS;
  // At most two points a bucket plus a break for every gap; rows bound it when there are few.
  const capacity = Math.min(rows, maxPoints + 3);
  const out: SeriesPoints = {
    t: new Float64Array(capacity),
    value: new Float64Array(capacity),
    length: 0,
  };
  // Hot loop over up to an hour of samples per series and update: raw storage, no per-row calls.
  const times = buffer.timeStorage;
  const values = buffer.columnStorage(column);
  const size = buffer.storageSize;
  const push = (slot: number) => {
    const value = values[slot] ?? Number.NaN;
    const n = out.length;
    // A break first or after another draws nothing: skip it.
    if (value !== value && (n === 0 || Number.isNaN(out.value[n - 1] ?? Number.NaN))) return;
    if (n === out.t.length) grow(out);
    out.t[n] = times[slot] ?? 0;
    out.value[n] = value;
    out.length = n + 1;
  };

  if (rows <= maxPoints) {
    for (
      let i = 0, slot = buffer.slot(first);
      i < rows;
      i++, slot = slot + 1 === size ? 0 : slot + 1
    )
      push(slot);
    return trimTrailingGap(out);
  }

  let gaps = 0;
  for (
    let i = 0, slot = buffer.slot(first);
    i < rows;
    i++, slot = slot + 1 === size ? 0 : slot + 1
  ) {
    const value = values[slot] ?? Number.NaN;
    if (value !== value) gaps++;
  }
  const buckets = Math.max(1, Math.floor((maxPoints - 3 * gaps) / 2));
  const flush = (minSlot: number, maxSlot: number, minRow: number, maxRow: number) => {
    if (minSlot < 0) return;
    if (minRow <= maxRow) {
      push(minSlot);
      if (maxRow !== minRow) push(maxSlot);
    } else {
      push(maxSlot);
      push(minSlot);
    }
  };

  let slot = buffer.slot(first);
  let row = 0;
  for (let b = 0; b < buckets; b++) {
    const bucketEnd = Math.floor(((b + 1) * rows) / buckets);
    let minSlot = -1;
    let maxSlot = -1;
    let minRow = 0;
    let maxRow = 0;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (; row < bucketEnd; row++, slot = slot + 1 === size ? 0 : slot + 1) {
      const value = values[slot] ?? Number.NaN;
      if (value !== value) {
        flush(minSlot, maxSlot, minRow, maxRow);
        minSlot = maxSlot = -1;
        min = Number.POSITIVE_INFINITY;
        max = Number.NEGATIVE_INFINITY;
        push(slot);
        continue;
      }
      if (value < min) {
        min = value;
        minSlot = slot;
        minRow = row;
      }
      if (value > max) {
        max = value;
        maxSlot = slot;
        maxRow = row;
      }
    }
    flush(minSlot, maxSlot, minRow, maxRow);
  }
  return trimTrailingGap(out);
}

function grow(points: SeriesPoints): void {
  const t = new Float64Array(points.t.length * 2 + 8);
  const value = new Float64Array(points.t.length * 2 + 8);
  t.set(points.t);
  value.set(points.value);
  points.t = t;
  points.value = value;
}

/** A break at the end separates nothing. */
function trimTrailingGap(points: SeriesPoints): SeriesPoints {
  if (points.length > 0 && Number.isNaN(points.value[points.length - 1] ?? 0)) points.length--;
  return points;
}
