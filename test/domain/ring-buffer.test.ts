import { describe, expect, it } from 'vitest';
import { RingBuffer } from '@/domain/ring-buffer';

const times = (buffer: RingBuffer) =>
  Array.from({ length: buffer.length }, (_, i) => buffer.timeAt(i));

describe('a ring buffer', () => {
  it('never holds more rows than its capacity, keeping the newest', () => {
    const buffer = new RingBuffer(2, 100);
    for (let t = 0; t < 1_000; t++) buffer.push(t, [t, -t]);
    expect(buffer.length).toBe(100);
    expect(buffer.oldestTime()).toBe(900);
    expect(buffer.newestTime()).toBe(999);
    expect(buffer.valueAt(0, 0)).toBe(900);
    expect(buffer.valueAt(99, 1)).toBe(-999);
  });

  it('drops rows older than its age limit behind the newest one', () => {
    const buffer = new RingBuffer(1, 10_000, 3_600_000);
    for (let s = 0; s <= 7_200; s += 10) buffer.push(s * 1000, [s]);
    expect(buffer.oldestTime()).toBe(3_600_000);
    expect(buffer.newestTime()).toBe(7_200_000);
    expect(buffer.length).toBe(361);
  });

  it('keeps rows in time order across growth and wrap-around', () => {
    const buffer = new RingBuffer(1, 300);
    for (let t = 0; t < 700; t++) buffer.push(t, [t * 2]);
    const kept = times(buffer);
    expect(kept).toEqual(Array.from({ length: 300 }, (_, i) => 400 + i));
    expect(kept.every((t, i) => buffer.valueAt(i, 0) === t * 2)).toBe(true);
  });

  it('records a gap once, however many times it is marked', () => {
    const buffer = new RingBuffer(1, 100);
    buffer.push(1, [1]);
    buffer.pushGap(2);
    buffer.pushGap(3);
    buffer.push(4, [4]);
    expect(buffer.length).toBe(3);
    expect(buffer.isGap(1)).toBe(true);
  });

  it('finds the first row at or after a time', () => {
    const buffer = new RingBuffer(1, 100);
    for (const t of [10, 20, 30, 40]) buffer.push(t, [t]);
    expect(buffer.lowerBound(0)).toBe(0);
    expect(buffer.lowerBound(20)).toBe(1);
    expect(buffer.lowerBound(21)).toBe(2);
    expect(buffer.lowerBound(99)).toBe(4);
  });
});
