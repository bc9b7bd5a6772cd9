import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { BackendProvider } from '@/lib/backend-context';
import { createHttpBackend, type FetchFunction } from '@/backend/http/http-backend';
import { FLAG_SERVICE, flagEvaluationsSchema, type Experiment } from '@/domain';
import { FlagEvaluationsChart } from '@/features/monitor/flag-evaluations-chart';
import type { FaultlineApp } from '../../mock-server/app';
import {
  startFlagEvaluationsSetup,
  type FlagEvaluationsSetup,
} from '../mock-server/flag-evaluations-setup';
import { prometheusInstalled } from '../mock-server/real-prometheus';

// The chart over the real server reading a real Prometheus, which scrapes an OpenFeature hook's
// counter as a service exports it: for every evaluation answered, three served the fallback.
const installed = prometheusInstalled('the flag evaluations chart over Prometheus');

describe.skipIf(!installed)(
  'the flag evaluations chart over Prometheus',
  { timeout: 60_000 },
  () => {
    let setup: FlagEvaluationsSetup | undefined;
    let faultline: FaultlineApp;
    /** Flag-evaluation requests the server answered. */
    let asks = 0;

    const fetchIn: FetchFunction = async (input, init = {}) => {
      const url = new URL(input, 'http://127.0.0.1');
      if (url.pathname === '/api/v1/flag-evaluations') asks++;
      const answer = await faultline.app.inject({
        method: (init.method ?? 'GET') as 'GET',
        url: `${url.pathname}${url.search}`,
        headers: Object.fromEntries(new Headers(init.headers).entries()),
      });
      return new Response(answer.body, {
        status: answer.statusCode,
        headers: { 'content-type': String(answer.headers['content-type'] ?? 'application/json') },
      });
    };

    beforeAll(async () => {
      setup = await startFlagEvaluationsSetup();
      faultline = setup.faultline;
    });

    afterEach(() => {
      vi.useRealTimers();
    });

    afterAll(() => setup?.stop());

    const viewerToken = () => setup!.viewerToken();

    function renderChart(
      token: string,
      experiment: Parameters<typeof FlagEvaluationsChart>[0]['experiment'],
    ): QueryClient {
      const backend = createHttpBackend({ fetch: fetchIn, baseUrl: '', getToken: () => token });
      const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
      render(
        <BackendProvider backend={backend}>
          <QueryClientProvider client={queryClient}>
            <FlagEvaluationsChart experiment={experiment} width={480} />
          </QueryClientProvider>
        </BackendProvider>,
      );
      return queryClient;
    }

    it("draws the fallback evaluations and says their share, for an experiment on staging's flag service", async () => {
      const token = await viewerToken();
      // Until Prometheus holds two scrapes of both series, the chart would say there are none.
      const url = `/api/v1/flag-evaluations?environment=staging&service=${FLAG_SERVICE}`;
      await expect
        .poll(
          async () => {
            const answer = await fetchIn(url, { headers: { authorization: `Bearer ${token}` } });
            const { series } = flagEvaluationsSchema.parse(await answer.json());
            return series.filter((s) => (s.points.at(-1)?.perSecond ?? 0) > 0).length;
          },
          { timeout: 30_000, interval: 500 },
        )
        .toBe(2);

      renderChart(token, {
        service: FLAG_SERVICE,
        environment: 'staging',
        run: null,
        state: 'draft',
      });
      const panel = within(await screen.findByRole('region', { name: 'Flag evaluations' }));
      // Three of every four evaluations served the fallback value.
      expect(await panel.findByRole('status', { name: 'Fallback now' })).toHaveTextContent(
        /Fallback value now: .* \(75 %\)/,
      );
      const series = panel.getByRole('list', { name: 'Flag evaluation series' });
      expect(
        within(series)
          .getAllByRole('listitem')
          .map((item) => item.textContent),
      ).toEqual([
        expect.stringMatching(/^new-checkout: fallback value \(ERROR\)\d/),
        expect.stringMatching(/^new-checkout: on \(TARGETING_MATCH\)\d/),
      ]);
    });

    it('asks again every 5 s while the experiment runs, as the source counts evaluations', async () => {
      const token = await viewerToken();
      const run: Experiment['run'] = {
        startedAt: Date.now() - 60_000,
        startedBy: 'sam-sre',
        targets: [],
        matchingCount: 0,
        stepIndex: 0,
        endedAt: null,
        outcome: null,
      };
      // The browser's intervals move only when the test says: each 5 s beat is one more ask.
      vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
      asks = 0;
      const queryClient = renderChart(token, {
        service: FLAG_SERVICE,
        environment: 'staging',
        run,
        state: 'running',
      });
      const panel = within(await screen.findByRole('region', { name: 'Flag evaluations' }));
      await panel.findByRole('status', { name: 'Fallback now' });
      expect(asks).toBe(1);
      for (const expected of [2, 3, 4]) {
        // A beat while an answer is still on its way asks nothing new: wait for it first.
        await expect.poll(() => queryClient.isFetching()).toBe(0);
        await vi.advanceTimersByTimeAsync(5_000);
        await expect.poll(() => asks).toBe(expected);
      }
    });
  },
);
