import { render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { appendSamples, resetLiveMetrics } from '@/lib/live/live-metrics-store';
import type { MetricSample } from '@/domain/metrics';
import type { RolloutMetric } from '@/domain/rollouts';
import { RolloutChart } from '@/features/rollouts/rollout-chart';
import { rolloutSeriesKeys } from '@/features/rollouts/rollout-series';
import { canarySpec } from '../mock-server/rollouts-fixtures';
import { sample } from '../backend/fixtures';

const T0 = 1_700_000_000_000;
const spec = canarySpec() as Parameters<typeof rolloutSeriesKeys>[0];
const labels = { target: 'canary', control: 'stable' };

afterEach(() => resetLiveMetrics());

/** A minute of one sample a second on each side of checkout in staging. */
function fillSides(
  canary: Partial<MetricSample['values']>,
  stable: Partial<MetricSample['values']>,
) {
  for (let s = 0; s < 60; s++) {
    const t = T0 + s * 1000;
    appendSamples(t, [
      { ...sample(t, 'all', canary), version: 'canary' },
      { ...sample(t, 'all', stable), version: 'stable' },
    ]);
  }
}

function renderChart(metric: RolloutMetric) {
  render(
    <RolloutChart
      metric={metric}
      keys={rolloutSeriesKeys(spec)}
      labels={labels}
      window={{ kind: 'fixed', from: T0, to: T0 + 60_000 }}
      markers={[]}
      stale={false}
      width={640}
    />,
  );
  return within(screen.getByRole('figure'));
}

/** The height of a line's newest point, in px from the top (paths are in tenths of a px). */
function lastY(path: Element): number {
  const y = path.getAttribute('d')?.split(',').at(-1);
  return Number(y) / 10;
}

function regressionY(chart: ReturnType<typeof within>, name: string): number {
  const line = chart.getByRole('img', { name }).querySelector('line');
  return Number(line?.getAttribute('y1'));
}

describe('a rollout chart', () => {
  it('draws the regression line at stable’s level plus the smallest shift that fails a step', () => {
    fillSides({ http_5xx_rate: 3 }, { http_5xx_rate: 1 });
    const chart = renderChart('http_5xx_rate');
    const canary = lastY(chart.getByRole('img', { name: 'canary line' }));
    const stable = lastY(chart.getByRole('img', { name: 'stable line' }));
    const line = regressionY(chart, 'abort threshold: stable + 0.5 points');
    // Higher values sit higher (smaller y): stable 1 % < line 1.5 % < canary 3 %.
    expect(stable).toBeGreaterThan(line);
    expect(line).toBeGreaterThan(canary);
    // 1.5 % sits a quarter of the way from 1 % to 3 %.
    expect((stable - line) / (stable - canary)).toBeCloseTo(0.25, 1);
    expect(screen.getByRole('figure')).toHaveAccessibleDescription(
      /a step fails when the canary is higher by at least 0.5 points with confidence/,
    );
  });

  it('keeps a canary within the tolerance under the line', () => {
    fillSides({ latency_p99: 200 }, { latency_p99: 180 });
    const chart = renderChart('latency_p99');
    const canary = lastY(chart.getByRole('img', { name: 'canary line' }));
    const line = regressionY(chart, 'abort threshold: stable + 50 ms');
    expect(canary).toBeGreaterThan(line);
  });

  it('draws no regression line before stable has a sample', () => {
    const chart = renderChart('http_5xx_rate');
    expect(chart.queryByRole('img', { name: /^abort threshold/ })).not.toBeInTheDocument();
  });
});
