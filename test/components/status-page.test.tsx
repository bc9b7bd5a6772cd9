import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import {
  ENVIRONMENTS,
  historyStrip,
  maintenanceSummary,
  stateFromMetrics,
  publicThresholds,
  uptimes,
  type MetricValues,
  type PublicIncident,
  type ServiceStatus,
  type StatusResponse,
} from '@/domain';
import { createHttpStatusSource, statusFeedUrl } from '@/backend/http/status';
import type { FetchFunction } from '@/backend/http/http-backend';
import { StatusPage } from '@/features/status/status-page';
import { apiError, fakeFetch, json } from '../backend/fake-fetch';
import { renderWithBackend } from './render-app';

const NOW = Date.UTC(2025, 0, 6, 9, 0);
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const calm: MetricValues = {
  cpu: 30,
  memory: 50,
  error_rate: 0.3,
  http_4xx_rate: 1,
  http_5xx_rate: 0.1,
  latency_p99: 150,
  request_rate: 100,
};

/** A service as the server reports it: each environment judged from its latest `all` sample, today's day rolled up. */
function service(
  name: string,
  overrides: Partial<Record<(typeof ENVIRONMENTS)[number], Partial<MetricValues>>> = {},
): ServiceStatus {
  const environments = ENVIRONMENTS.map((environment) => {
    const verdict = stateFromMetrics({ ...calm, ...overrides[environment] });
    return { environment, state: verdict.state, reasons: verdict.plainReasons, updatedAt: NOW };
  });
  const production = environments.find((e) => e.environment === 'production')!;
  const history = historyStrip(
    [
      { day: '2025-01-05', state: 'operational', observedMs: DAY_MS },
      {
        day: '2025-01-06',
        state: production.state,
        observedMs: 9 * HOUR_MS,
        outageMs: production.state === 'outage' ? HOUR_MS : 0,
        degradedMs: production.state === 'degraded' ? HOUR_MS : 0,
      },
    ],
    NOW,
  );
  return {
    service: name,
    description: `${name} service`,
    environments,
    history,
    uptime: uptimes(history),
  };
}

function status(services: ServiceStatus[], incidents: PublicIncident[] = []): StatusResponse {
  return {
    generatedAt: NOW,
    services,
    testing: {
      experiments: [
        {
          id: 'e1',
          name: 'Error burst on checkout',
          service: 'checkout',
          environment: 'staging',
          attack: 'some requests made to fail',
          stepIndex: 0,
          stepCount: 2,
          progressPercent: 40,
          startedAt: NOW - 60_000,
          endsAt: NOW + 90_000,
        },
      ],
      rollouts: [
        {
          kind: 'flag',
          key: 'new-checkout',
          service: 'checkout',
          environment: 'production',
          percent: 20,
        },
        {
          kind: 'canary',
          key: 'search 2.5.0',
          service: 'search',
          environment: 'staging',
          percent: 10,
          waiting: true,
        },
      ],
    },
    incidents,
    maintenance: [],
    thresholds: publicThresholds(),
  };
}

/** The standalone page: its own small client over the given fetch. */
function renderStatus(fetch: FetchFunction, shareToken: string | null = null) {
  return renderWithBackend(
    <StatusPage
      source={createHttpStatusSource({ fetch, baseUrl: '' })}
      shareToken={shareToken}
      feedUrl={statusFeedUrl('', shareToken)}
    />,
    fetch,
  );
}

describe('the status page', () => {
  it('shows an outage for a service whose 5xx rate is high, in its environment and in production’s strip', async () => {
    const body = status([
      service('checkout', { staging: { http_5xx_rate: 12 }, production: { http_5xx_rate: 12 } }),
      service('catalog'),
    ]);
    const { fetch } = fakeFetch({ 'GET /api/v1/status': () => json(200, body) });
    renderStatus(fetch);

    const checkout = await screen.findByRole('article', { name: 'checkout' });
    const staging = within(
      within(checkout).getByRole('list', { name: 'checkout by environment' }),
    ).getAllByRole('listitem')[2]!;
    expect(within(staging).getByText('Outage')).toBeInTheDocument();
    expect(staging).toHaveTextContent('requests failing: 12 % of requests (an outage from 5 %)');
    expect(document.body).not.toHaveTextContent(/5xx|p99|latency|error injection|pressure/i);
    const strip = within(checkout).getByRole('img');
    expect(strip).toHaveAccessibleName(
      'checkout, last 90 days: 1 operational, 0 degraded, 1 with an outage, 88 without data',
    );
    expect(within(strip).getByTitle('2025-01-06: Outage')).toHaveAttribute('data-state', 'outage');

    const catalog = screen.getByRole('article', { name: 'catalog' });
    expect(within(catalog).getByRole('img')).toHaveAccessibleName(
      /2 operational, 0 degraded, 0 with an outage/,
    );
    expect(within(catalog).queryByText('Outage')).not.toBeInTheDocument();
  });

  it('states uptime per service over 30 and 90 days, and how a partial outage counts', async () => {
    const { fetch } = fakeFetch({
      'GET /api/v1/status': () =>
        json(200, status([service('checkout', { production: { http_5xx_rate: 12 } })])),
    });
    renderStatus(fetch);
    const checkout = await screen.findByRole('article', { name: 'checkout' });
    // 33 h measured, 1 h of it an outage: 96.96 % up.
    const figures = within(checkout).getByRole('group', { name: 'checkout uptime in production' });
    expect(figures).toHaveTextContent('Uptime, last 30 days:96.96 %');
    expect(figures).toHaveTextContent('Uptime, last 90 days:96.96 %');
    expect(checkout).not.toHaveTextContent(/of days operational/);
    expect(
      screen.getByText(/a degraded minute \(a partial outage\) counts as 30 % down/),
    ).toBeInTheDocument();
  });

  it('judges the headline by production and says when only test environments suffer', async () => {
    const { fetch } = fakeFetch({
      'GET /api/v1/status': () =>
        json(200, status([service('checkout', { staging: { http_5xx_rate: 12 } })])),
    });
    renderStatus(fetch);
    const banner = await screen.findByRole('region', { name: 'Overall status' });
    expect(banner).toHaveTextContent('All systems operational in production');
    expect(banner).toHaveTextContent('Test environments show problems');
  });

  it('shows what is being tested and the incidents with their updates', async () => {
    const incident: PublicIncident = {
      id: 'i1',
      title: 'checkout (staging): test stopped by its safety limit',
      summary: 'A planned test was stopped automatically.',
      service: 'checkout',
      environment: 'staging',
      state: 'open',
      openedAt: NOW - 30_000,
      resolvedAt: null,
      updates: [{ at: NOW - 10_000, text: 'Retry budget too high', resolves: false }],
    };
    const { fetch } = fakeFetch({
      'GET /api/v1/status': () => json(200, status([service('checkout')], [incident])),
    });
    renderStatus(fetch);
    expect(
      await screen.findByRole('progressbar', { name: 'Error burst on checkout: 40 % done' }),
    ).toHaveAttribute('aria-valuenow', '40');
    expect(
      screen.getByRole('progressbar', { name: 'new-checkout in production: 20 % rolled out' })
        .parentElement,
    ).toHaveTextContent(
      'Feature rollout' + 'new-checkout' + '20 % of users of checkout in production',
    );
    // A canary reads as a new version taking a share of requests, and says when it waits.
    expect(
      screen.getByRole('progressbar', { name: 'search 2.5.0 in staging: 10 % rolled out' })
        .parentElement,
    ).toHaveTextContent(
      'New version rollout · on hold' +
        'search 2.5.0' +
        "10 % of search's requests served by the new version in staging",
    );
    const card = screen.getByRole('article', { name: incident.title });
    expect(card).toHaveTextContent('Open');
    expect(card).toHaveTextContent('Retry budget too high');
    expect(screen.getByRole('region', { name: 'Overall status' })).toHaveTextContent(
      '1 open incident',
    );
  });

  it('announces planned maintenance in production with its window, ahead of time', async () => {
    const body: StatusResponse = {
      ...status([service('checkout')]),
      maintenance: [
        {
          id: 'g1',
          title: 'Checkout game day',
          summary: maintenanceSummary(['checkout', 'payments']),
          startsAt: NOW + 86_400_000,
          endsAt: NOW + 86_400_000 + 7_200_000,
          state: 'scheduled',
          services: ['checkout', 'payments'],
          announcedAt: NOW - 86_400_000,
        },
      ],
    };
    const { fetch } = fakeFetch({ 'GET /api/v1/status': () => json(200, body) });
    renderStatus(fetch);
    const section = await screen.findByRole('region', { name: 'Planned maintenance' });
    const window = within(section).getByRole('article', { name: 'Checkout game day' });
    expect(window).toHaveTextContent('Scheduled');
    expect(window).toHaveTextContent(
      'Planned resilience testing of checkout and payments in production.',
    );
    expect(window.querySelector('time')).toHaveAttribute(
      'datetime',
      new Date(NOW + 86_400_000).toISOString(),
    );
  });

  it('shows no maintenance section when nothing is planned', async () => {
    const { fetch } = fakeFetch({
      'GET /api/v1/status': () => json(200, status([service('checkout')])),
    });
    renderStatus(fetch);
    await screen.findByRole('article', { name: 'checkout' });
    expect(screen.queryByRole('region', { name: 'Planned maintenance' })).not.toBeInTheDocument();
  });

  it('reads a resolved incident as over: no “looking into it”, never “Resolved: Resolved.”', async () => {
    const incident: PublicIncident = {
      id: 'i2',
      title: 'checkout (staging): test stopped by its safety limit',
      summary:
        'A planned test was stopped automatically. Every injected fault was removed at once; ' +
        'the team is looking into what the test revealed.',
      service: 'checkout',
      environment: 'staging',
      state: 'resolved',
      openedAt: NOW - 60_000,
      resolvedAt: NOW - 5_000,
      updates: [{ at: NOW - 5_000, text: 'Resolved.', resolves: true }],
    };
    const { fetch } = fakeFetch({
      'GET /api/v1/status': () => json(200, status([service('checkout')], [incident])),
    });
    renderStatus(fetch);
    const card = await screen.findByRole('article', { name: incident.title });
    expect(card).not.toHaveTextContent(/looking into/);
    expect(card).toHaveTextContent('Every injected fault was removed at once.');
    expect(card).not.toHaveTextContent(/Resolved:\s*Resolved/);
    expect(within(card).getByText('Resolved.')).toBeInTheDocument();
  });

  it('offers its incidents as an Atom feed, to feed readers in the head and to people as a link, with the share token', async () => {
    const { fetch } = fakeFetch({
      'GET /api/v1/status': () => json(200, status([service('checkout')])),
    });
    renderStatus(fetch, 'a b&c');
    const link = await screen.findByRole('link', { name: 'Follow incidents (Atom feed)' });
    expect(link).toHaveAttribute('href', '/api/v1/status/feed.atom?token=a%20b%26c');
    const alternate = document.head.querySelector('link[rel="alternate"]');
    expect(alternate).toHaveAttribute('type', 'application/atom+xml');
    expect(alternate).toHaveAttribute('href', '/api/v1/status/feed.atom?token=a%20b%26c');
  });

  it('passes the share link’s token on, and explains a closed page', async () => {
    const { fetch, calls } = fakeFetch({
      'GET /api/v1/status': () =>
        apiError(403, 'share_token_required', 'this status page opens with its share link'),
    });
    renderStatus(fetch, 'abc123');
    expect(await screen.findByRole('alert')).toHaveTextContent('opens with its share link');
    expect(calls[0]?.query.get('token')).toBe('abc123');
  });
});
