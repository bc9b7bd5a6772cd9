import { QueryClient } from '@tanstack/react-query';
import { act, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { MetricSample } from '@/domain';
import { applyStreamEvent } from '@/lib/live/stream-sync';
import { MetricsGapNotice } from '@/features/monitor/metrics-gap-notice';
import { DEFAULT_SERIES_LABELS, monitorSeriesKeys } from '@/features/monitor/monitor-plan';

const experiment = { id: 'exp-1', service: 'shop', environment: 'staging' } as const;
const keys = monitorSeriesKeys(experiment);
const reason = 'Prometheus at http://127.0.0.1:9090 cannot be reached (ECONNREFUSED)';

const sample = (t: number, group: 'target' | 'control'): MetricSample => ({
  t,
  service: 'shop',
  environment: 'staging',
  group,
  experimentId: 'exp-1',
  values: {
    cpu: 10,
    memory: 20,
    error_rate: 0,
    http_4xx_rate: 0,
    http_5xx_rate: 0,
    latency_p99: 30,
    request_rate: 100,
  },
});

describe('the monitor when the server cannot read its metrics', () => {
  it('says which lines are stale and why, in words, until a sample of them arrives', () => {
    const queryClient = new QueryClient();
    render(<MetricsGapNotice keys={keys} labels={DEFAULT_SERIES_LABELS} />);
    expect(screen.queryByRole('alert')).toBeNull();

    act(() =>
      applyStreamEvent(queryClient, {
        type: 'metrics',
        t: 1_000,
        samples: [sample(1_000, 'control')],
        gaps: [{ ...experiment, group: 'target', experimentId: 'exp-1', metrics: ['cpu'], reason }],
      }),
    );
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('Stale data: the target cannot be read');
    expect(alert).not.toHaveTextContent('control');
    expect(alert).toHaveTextContent(reason);

    act(() =>
      applyStreamEvent(queryClient, {
        type: 'metrics',
        t: 2_000,
        samples: [sample(2_000, 'target'), sample(2_000, 'control')],
      }),
    );
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
