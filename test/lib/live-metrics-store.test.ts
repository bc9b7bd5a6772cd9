import { afterEach, describe, expect, it } from 'vitest';
import {
  appendSamples,
  getSeries,
  markGap,
  mergeHistory,
  metricColumn,
  resetLiveMetrics,
  SERIES_CAPACITY,
  useLiveMetrics,
} from '@/lib/live/live-metrics-store';
import { seriesKey } from '@/domain/metrics';
import { chartPoints, downsampleMinMax } from '@/lib/downsample';
import { sample } from '../backend/fixtures';

const KEY = seriesKey({ service: 'checkout', environment: 'staging', group: 'all' });
const T0 = 1_700_000_000_000;

function tick(second: number, cpu = 30) {
  const t = T0 + second * 1000;
  appendSamples(t, [sample(t, 'all', { cpu })]);
}

afterEach(() => resetLiveMetrics());

describe('the live metric series', () => {
  it('keeps one hour per series at the stream rate, however long it runs', () => {
    for (let s = 0; s < 2 * 3_600; s++) tick(s);
    const series = getSeries(KEY)!;
    expect(series.length).toBeLessThanOrEqual(3_601);
    expect(series.newestTime()! - series.oldestTime()!).toBeLessThanOrEqual(3_600_000);
    expect(SERIES_CAPACITY).toBe(36_000);
  });

  it('draws a silence in the stream as a gap, not as a line across it', () => {
    for (let s = 0; s < 10; s++) tick(s, 40);
    for (let s = 100; s < 110; s++) tick(s, 80);
    const points = chartPoints(
      downsampleMinMax(getSeries(KEY)!, metricColumn('cpu'), T0, T0 + 200_000),
    );
    expect(points).toHaveLength(21);
    expect(points[10]).toEqual({ t: T0 + 10_000, value: null });
    expect(points.filter((p) => p.value === 40)).toHaveLength(10);
  });

  it('breaks every line when the server says it could not replay what was missed', () => {
    for (let s = 0; s < 5; s++) tick(s);
    markGap();
    tick(5);
    const points = chartPoints(
      downsampleMinMax(getSeries(KEY)!, metricColumn('cpu'), T0, T0 + 10_000),
    );
    expect(points.map((p) => p.value)).toEqual([30, 30, 30, 30, 30, null, 30]);
  });

  it('puts history before the live samples without duplicating any', () => {
    for (let s = 10; s < 15; s++) tick(s, 50);
    mergeHistory(Array.from({ length: 12 }, (_, s) => sample(T0 + s * 1000, 'all', { cpu: 20 })));
    const series = getSeries(KEY)!;
    const cpu = Array.from({ length: series.length }, (_, i) =>
      series.valueAt(i, metricColumn('cpu')),
    );
    expect(cpu).toEqual([...Array(10).fill(20), ...Array(5).fill(50)]);
  });

  it('bumps only the revision of the series that changed', () => {
    tick(0);
    const other = seriesKey({ service: 'payments', environment: 'staging', group: 'all' });
    const before = useLiveMetrics.getState().revisions;
    tick(1);
    const after = useLiveMetrics.getState().revisions;
    expect(after[KEY]).toBe((before[KEY] ?? 0) + 1);
    expect(after[other]).toBeUndefined();
  });
});
