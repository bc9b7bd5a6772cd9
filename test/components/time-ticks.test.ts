import { describe, expect, it } from 'vitest';
import { timeTicks, valueAxis } from '@/components/chart/time-ticks';

describe('axis ticks', () => {
  it.each([
    [0.17, 0.2, [0, 0.05, 0.1, 0.15, 0.2]],
    [2.3, 3, [0, 1, 2, 3]],
    [12.4, 15, [0, 5, 10, 15]],
    [421, 500, [0, 100, 200, 300, 400, 500]],
  ])('a value axis for %s tops at %s on round steps', (max, ceiling, ticks) => {
    expect(valueAxis(max)).toMatchObject({ ceiling, ticks });
  });

  it('keeps an axis as it is when given its own ceiling', () => {
    for (const max of [0.01, 0.3, 7, 99, 940, 12_345]) {
      const { ceiling } = valueAxis(max);
      expect(valueAxis(ceiling, 1).ceiling).toBe(ceiling);
      expect(ceiling).toBeGreaterThanOrEqual(max);
    }
  });

  it('puts time ticks on whole minutes over a few minutes', () => {
    const from = Date.UTC(2025, 0, 1, 9, 0, 20);
    const ticks = timeTicks(from, from + 5 * 60_000);
    expect(ticks.length).toBeGreaterThanOrEqual(4);
    expect(ticks.every((t) => t % 60_000 === 0 && t >= from && t <= from + 5 * 60_000)).toBe(true);
  });
});
