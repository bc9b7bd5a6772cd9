import type { RingBuffer } from './ring-buffer';

/** One point to draw; `value: null` breaks the line (a gap: nothing is known there). */
export interface ChartPoint {
  t: number;
  value: number | null;
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
): ChartPoint[] {
  const first = buffer.lowerBound(from);
  const end = buffer.lowerBound(to + 1);
  const rows = end - first;
  const out: ChartPoint[] = [];
  if (rows <= 0) return out;

  if (rows <= maxPoints) {
    for (let i = first; i < end; i++) pushPoint(out, buffer, i, column);
    return trimEdgeGaps(out);
  }

  let gaps = 0;
  for (let i = first; i < end; i++) if (buffer.isGap(i)) gaps++;
  const buckets = Math.max(1, Math.floor((maxPoints - 3 * gaps) / 2));

  for (let b = 0; b < buckets; b++) {
    const lo = first + Math.floor((b * rows) / buckets);
    const hi = first + Math.floor(((b + 1) * rows) / buckets);
    let minIndex = -1;
    let maxIndex = -1;
    for (let i = lo; i < hi; i++) {
      if (buffer.isGap(i)) {
        flushPiece(out, buffer, column, minIndex, maxIndex);
        minIndex = -1;
        maxIndex = -1;
        pushPoint(out, buffer, i, column);
        continue;
      }
      const value = buffer.valueAt(i, column);
      if (minIndex < 0 || value < buffer.valueAt(minIndex, column)) minIndex = i;
      if (maxIndex < 0 || value > buffer.valueAt(maxIndex, column)) maxIndex = i;
    }
    flushPiece(out, buffer, column, minIndex, maxIndex);
  }
  return trimEdgeGaps(out);
}

function pushPoint(out: ChartPoint[], buffer: RingBuffer, index: number, column: number): void {
  const value = buffer.valueAt(index, column);
  const gap = Number.isNaN(value);
  // Two breaks in a row draw the same as one.
  if (gap && out.length > 0 && out[out.length - 1]?.value === null) return;
  out.push({ t: buffer.timeAt(index), value: gap ? null : value });
}

function flushPiece(out: ChartPoint[], buffer: RingBuffer, column: number, minIndex: number, maxIndex: number): void {
  if (minIndex < 0 || maxIndex < 0) return;
  const [a, b] = minIndex <= maxIndex ? [minIndex, maxIndex] : [maxIndex, minIndex];
  pushPoint(out, buffer, a, column);
  if (b !== a) pushPoint(out, buffer, b, column);
}

function trimEdgeGaps(points: ChartPoint[]): ChartPoint[] {
  let start = 0;
  let end = points.length;
  while (start < end && points[start]?.value === null) start++;
  while (end > start && points[end - 1]?.value === null) end--;
  return start === 0 && end === points.length ? points : points.slice(start, end);
}
