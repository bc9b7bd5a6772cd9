import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chartPoints, downsampleMinMax, MAX_POINTS_PER_SERIES } from '@/lib/downsample';
import { RingBuffer } from '@/domain/ring-buffer';

function bufferOf(values: (number | null)[]): RingBuffer {
  const buffer = new RingBuffer(1, 100_000);
  values.forEach((value, t) => (value === null ? buffer.pushGap(t) : buffer.push(t, [value])));
  return buffer;
}

describe('min/max downsampling', () => {
  it('returns every sample when there are few enough', () => {
    const points = chartPoints(downsampleMinMax(bufferOf([1, 2, 3]), 0, 0, 10));
    expect(points).toEqual([
      { t: 0, value: 1 },
      { t: 1, value: 2 },
      { t: 2, value: 3 },
    ]);
  });

  it('reduces an hour at 1 s to at most 500 points, keeping a one-sample spike', () => {
    const values = Array.from({ length: 3_600 }, (_, i) => (i === 1_234 ? 99 : 10 + (i % 7)));
    const points = chartPoints(downsampleMinMax(bufferOf(values), 0, 0, 3_600));
    expect(points.length).toBeLessThanOrEqual(MAX_POINTS_PER_SERIES);
    expect(points).toContainEqual({ t: 1_234, value: 99 });
    expect(Math.min(...points.map((p) => p.value ?? Infinity))).toBe(10);
  });

  it('keeps a gap as a break and never draws across it', () => {
    const values: (number | null)[] = Array.from({ length: 5_000 }, (_, i) => i % 50);
    values[2_500] = null;
    const points = chartPoints(downsampleMinMax(bufferOf(values), 0, 0, 5_000));
    const gapIndex = points.findIndex((p) => p.value === null);
    expect(gapIndex).toBeGreaterThan(0);
    expect(points[gapIndex - 1]!.t).toBeLessThan(2_500);
    expect(points[gapIndex + 1]!.t).toBeGreaterThan(2_500);
  });

  it('only returns samples that exist, in time order, within the window and the bound', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.integer({ min: -1000, max: 1000 }), { freq: 40 }), {
          minLength: 0,
          maxLength: 4_000,
        }),
        fc.integer({ min: 0, max: 4_000 }),
        fc.integer({ min: 0, max: 4_000 }),
        (values, a, b) => {
          const [from, to] = a <= b ? [a, b] : [b, a];
          const buffer = bufferOf(values);
          const gaps = values.filter((v) => v === null).length;
          const points = chartPoints(downsampleMinMax(buffer, 0, from, to));
          if (gaps < MAX_POINTS_PER_SERIES / 3)
            expect(points.length).toBeLessThanOrEqual(MAX_POINTS_PER_SERIES);
          for (let i = 1; i < points.length; i++)
            expect(points[i]!.t).toBeGreaterThan(points[i - 1]!.t);
          for (const point of points) {
            expect(point.t).toBeGreaterThanOrEqual(from);
            expect(point.t).toBeLessThanOrEqual(to);
            if (point.value !== null) expect(values[point.t]).toBe(point.value);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
