import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { appendSamples, resetLiveMetrics } from '@/lib/live/live-metrics-store';
import type { AbortCondition } from '@/domain/abort-conditions';
import type { Metric } from '@/domain/metrics';
import type { TimeAxis } from '@/components/chart/chart-types';
import { MonitorChart } from '@/features/monitor/monitor-chart';
import { monitorSeriesKeys } from '@/features/monitor/monitor-plan';
import { fakeFetch } from '../backend/fake-fetch';
import { runningExperiment, sample } from '../backend/fixtures';
import { renderWithBackend } from './render-app';

const T0 = 1_700_000_000_000;
const fiveXx = (threshold: number, windowSeconds: number): AbortCondition => ({
  kind: 'threshold',
  metric: 'http_5xx_rate',
  comparator: '>',
  threshold,
  windowSeconds,
  scope: 'target',
});

afterEach(() => resetLiveMetrics());

describe('a monitor chart', () => {
  const experiment = runningExperiment(T0, {
    abortConditions: [
      fiveXx(1, 10),
      fiveXx(5, 0),
      {
        kind: 'threshold',
        metric: 'cpu',
        comparator: '>=',
        threshold: 95,
        windowSeconds: 30,
        scope: 'target',
      },
      { kind: 'rising', metric: 'error_rate', delta: 2, windowSeconds: 30, scope: 'target' },
    ],
  });

  function renderChart(
    metric: Metric,
    more: () => void = () => {},
    window: TimeAxis = { kind: 'fixed', from: T0, to: T0 + 120_000 },
    shown: typeof experiment = experiment,
  ) {
    for (let s = 0; s < 60; s++) {
      const t = T0 + s * 1000;
      appendSamples(t, [
        sample(
          t,
          'target',
          { http_5xx_rate: 0.3 + s / 100, error_rate: 1 + s / 20 },
          experiment.id,
        ),
        sample(t, 'control', {}, experiment.id),
        sample(t, 'all'),
      ]);
    }
    more();
    renderWithBackend(
      <MonitorChart
        experiment={shown}
        metric={metric}
        keys={monitorSeriesKeys(shown)}
        window={window}
        stale={false}
        width={640}
      />,
      fakeFetch({}).fetch,
    );
    return within(screen.getByRole('figure'));
  }

  const thresholdLines = (chart: ReturnType<typeof within>) =>
    chart
      .queryAllByRole('img', { name: /^abort threshold/ })
      .map((line: HTMLElement) => line.getAttribute('aria-label'));

  it('draws a threshold line for each abort condition on its metric', () => {
    const chart = renderChart('http_5xx_rate');
    expect(thresholdLines(chart)).toEqual([
      'abort threshold: 5xx rate > 1 % for 10 s',
      'abort threshold: 5xx rate > 5 %',
    ]);
  });

  it('draws only the conditions of its own metric', () => {
    expect(thresholdLines(renderChart('cpu'))).toEqual(['abort threshold: CPU >= 95 % for 30 s']);
  });

  it('draws a rising condition as a slope from the window’s start, not a fixed line', () => {
    const chart = renderChart('error_rate');
    expect(thresholdLines(chart)).toEqual([]);
    const slope = chart.getByRole('img', {
      name: 'abort slope: error rate rises by more than 2 percentage points within 30 s',
    });
    const line = slope.querySelector('line');
    const [x1, y1, x2, y2] = ['x1', 'y1', 'x2', 'y2'].map((a) => Number(line?.getAttribute(a)));
    // 30 s of a 120 s axis, ending at the newest sample (59 s): it climbs (SVG y grows down).
    expect(x2).toBeGreaterThan(x1 ?? 0);
    expect(y2).toBeLessThan(y1 ?? 0);
    const plot = (640 - 56 - 12) / 120; // px per second
    expect((x2 ?? 0) - (x1 ?? 0)).toBeCloseTo(30 * plot, 0);
  });

  it('ends the slope where the run ended, not past it, once the run is over', () => {
    const endedAt = T0 + 40_000;
    const ended = {
      ...experiment,
      state: 'aborted' as const,
      run: experiment.run && { ...experiment.run, endedAt },
    };
    const chart = renderChart('error_rate', () => {}, undefined, ended);
    const line = chart.getByRole('img', { name: /^abort slope/ }).querySelector('line');
    const [x1, x2] = ['x1', 'x2'].map((a) => Number(line?.getAttribute(a)));
    const plot = (640 - 56 - 12) / 120; // px per second
    // The window before the end (10 s to 40 s), though samples go on to 59 s.
    expect(x2).toBeCloseTo(56 + 40 * plot, 0);
    expect(x1).toBeCloseTo(56 + 10 * plot, 0);
  });

  it('draws no threshold where no condition watches the metric', () => {
    expect(thresholdLines(renderChart('http_4xx_rate'))).toEqual([]);
  });

  it('marks where the run started, at its first magnitude', () => {
    expect(renderChart('cpu').getByRole('img', { name: 'marker: start 50 %' })).toBeInTheDocument();
  });

  it('draws the target, the control and the whole service as lines through every sample', () => {
    const chart = renderChart('cpu');
    for (const name of ['target line', 'control line', 'whole service line']) {
      const d = chart.getByRole('img', { name }).getAttribute('d') ?? '';
      expect(d.startsWith('M')).toBe(true);
      expect(d.split(/[ML]/).length - 1).toBe(60);
    }
  });

  it('on a sliding axis, labels time back from the newest sample and draws up to it', () => {
    const chart = renderChart('cpu', () => {}, { kind: 'sliding', spanMs: 60_000 });
    expect(chart.getByText('now')).toBeInTheDocument();
    expect(chart.getByText('−45 s')).toBeInTheDocument();
    const d = chart.getByRole('img', { name: 'target line' }).getAttribute('d') ?? '';
    expect(d.split(/[ML]/).length - 1).toBe(60);
  });

  it('lifts the pen over a gap instead of drawing across it', () => {
    const chart = renderChart('cpu', () =>
      appendSamples(T0 + 90_000, [sample(T0 + 90_000, 'target', {}, experiment.id)]),
    );
    const d = chart.getByRole('img', { name: 'target line' }).getAttribute('d') ?? '';
    expect(d.match(/M/g)).toHaveLength(2);
  });
});
