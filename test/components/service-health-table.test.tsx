import { render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { appendSamples, resetLiveMetrics } from '@/lib/live/live-metrics-store';
import type { MetricSample, MetricValues } from '@/domain/metrics';
import { ServiceHealthTable } from '@/features/overview/service-health-table';

const calm: MetricValues = {
  cpu: 35,
  memory: 40,
  error_rate: 0.2,
  http_4xx_rate: 1.5,
  http_5xx_rate: 0.1,
  latency_p99: 150,
  request_rate: 60,
};

function sample(
  service: string,
  environment: MetricSample['environment'],
  values: Partial<MetricValues>,
): MetricSample {
  return { t: 1_000, service, environment, group: 'all', values: { ...calm, ...values } };
}

afterEach(() => resetLiveMetrics());

describe('the overview’s service health', () => {
  it('judges each service as the status page does: operational, degraded, outage', () => {
    appendSamples(1_000, [
      sample('checkout', 'staging', { http_5xx_rate: 7.2 }),
      sample('checkout', 'production', { latency_p99: 900 }),
      sample('payments', 'staging', {}),
    ]);
    render(<ServiceHealthTable />);
    const checkout = screen.getByRole('row', { name: /^checkout/ });
    const payments = screen.getByRole('row', { name: /^payments/ });
    const cells = within(checkout).getAllByRole('cell');
    // Columns: development, testing, staging, production.
    expect(cells[2]).toHaveTextContent(/^outage/);
    expect(within(cells[2] as HTMLElement).getByText('outage')).toHaveAttribute(
      'title',
      '5xx rate 7.2 % (outage from 5 %)',
    );
    expect(cells[3]).toHaveTextContent(/^degraded/);
    expect(within(payments).getAllByRole('cell')[2]).toHaveTextContent(/^operational/);
  });

  it('says a service had no requests rather than showing a 0 % 5xx rate and a 0 ms p99', () => {
    appendSamples(1_000, [
      sample('faultline-flags', 'staging', { request_rate: 0, http_5xx_rate: 0, latency_p99: 0 }),
      sample('faultline-flags', 'production', { request_rate: 12, latency_p99: 3 }),
    ]);
    render(<ServiceHealthTable />);
    const cells = within(screen.getByRole('row', { name: /^faultline-flags/ })).getAllByRole(
      'cell',
    );
    expect(cells[2]).toHaveTextContent('no requests');
    expect(cells[2]).not.toHaveTextContent('p99');
    expect(cells[3]).toHaveTextContent('p99 3');
    expect(cells[3]).not.toHaveTextContent('no requests');
  });
});
