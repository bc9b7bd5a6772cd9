import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { appendSamples, resetLiveMetrics } from '@/lib/live/live-metrics-store';
import { labelWidth } from '@/components/chart/threshold-label';
import { MonitorChart } from '@/features/monitor/monitor-chart';
import { monitorSeriesKeys, monitorWindow } from '@/features/monitor/monitor-plan';
import { fakeFetch } from '../backend/fake-fetch';
import { runningExperiment, sample } from '../backend/fixtures';
import { renderWithBackend } from './render-app';

const T0 = 1_700_000_000_000;

afterEach(() => resetLiveMetrics());

/** 60 % CPU step at 120 s, aborted 4 s later, halted-like crowding of three markers. */
const crowded = runningExperiment(T0, {
  state: 'aborted',
  steps: [
    { magnitude: 50, durationSeconds: 120 },
    { magnitude: 60, durationSeconds: 120 },
    { magnitude: 70, durationSeconds: 120 },
  ],
  abortConditions: [
    {
      kind: 'threshold',
      metric: 'cpu',
      comparator: '>=',
      threshold: 95,
      windowSeconds: 30,
      scope: 'target',
    },
  ],
});
crowded.run = {
  startedAt: T0,
  startedBy: 'sam-sre',
  targets: ['checkout-staging-c1'],
  matchingCount: 8,
  stepIndex: 1,
  endedAt: T0 + 124_000,
  outcome: {
    kind: 'aborted',
    at: T0 + 124_000,
    conditionIndex: 0,
    condition: crowded.abortConditions[0]!,
    description: 'CPU >= 95 % for 30 s',
    value: 97,
    latest: 97,
  },
};

interface Box {
  label: string;
  from: number;
  to: number;
  y: number;
}

/** Each drawn marker label's box, from its anchor, side and estimated width. */
function labelBoxes(width: number): Box[] {
  for (let s = 0; s < 130; s++) {
    const t = T0 + s * 1000;
    appendSamples(t, [
      sample(t, 'target', {}, crowded.id),
      sample(t, 'control', {}, crowded.id),
      sample(t, 'all'),
    ]);
  }
  const { unmount } = renderWithBackend(
    <MonitorChart
      experiment={crowded}
      metric="cpu"
      keys={monitorSeriesKeys(crowded)}
      window={monitorWindow(crowded)}
      stale={false}
      width={width}
    />,
    fakeFetch({}).fetch,
  );
  const chart = within(screen.getByRole('figure'));
  const boxes = chart.getAllByRole('img', { name: /^marker: / }).flatMap((marker) => {
    const text = marker.querySelector('text');
    if (!text) return [];
    const label = text.textContent ?? '';
    const x = Number(text.getAttribute('x'));
    const w = labelWidth(label, 11);
    const from = text.getAttribute('text-anchor') === 'end' ? x - w : x;
    return [{ label, from, to: from + w, y: Number(text.getAttribute('y')) }];
  });
  unmount();
  resetLiveMetrics();
  return boxes;
}

describe('marker labels on a chart', () => {
  it.each([390, 640, 1200])('never overlap and stay inside the plot at %i px', (width) => {
    const boxes = labelBoxes(width);
    expect(boxes.length).toBeGreaterThanOrEqual(2);
    for (const a of boxes) {
      expect(a.from).toBeGreaterThanOrEqual(56);
      expect(a.to).toBeLessThanOrEqual(width - 12);
      for (const b of boxes) {
        if (a === b || a.y !== b.y) continue;
        expect(a.from >= b.to || a.to <= b.from, `${a.label} over ${b.label}`).toBe(true);
      }
    }
  });

  it('names every marker, drawn label or not', () => {
    labelBoxes(390);
    // Rendered again to query names (labelBoxes unmounts).
    for (let s = 0; s < 5; s++) appendSamples(T0 + s * 1000, [sample(T0 + s * 1000, 'all')]);
    renderWithBackend(
      <MonitorChart
        experiment={crowded}
        metric="cpu"
        keys={monitorSeriesKeys(crowded)}
        window={monitorWindow(crowded)}
        stale={false}
        width={390}
      />,
      fakeFetch({}).fetch,
    );
    const names = screen
      .getAllByRole('img', { name: /^marker: / })
      .map((m) => m.getAttribute('aria-label'));
    expect(names).toEqual(['marker: start 50 %', 'marker: step 60 %', 'marker: aborted']);
  });
});
