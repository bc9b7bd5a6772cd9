import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { flagEvaluationsSchema, type FlagEvaluationSeries } from '../../src/domain';
import type { FaultlineApp } from '../../mock-server/app';
import { startFlagEvaluationsSetup, type FlagEvaluationsSetup } from './flag-evaluations-setup';
import { prometheusInstalled } from './real-prometheus';
import { START, testServer, type TestServer } from './test-server';

const ASK = '/api/v1/flag-evaluations?environment=staging&service=checkout';

describe('GET /api/v1/flag-evaluations, until', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await testServer();
  });
  afterEach(() => server.app.close());

  it.each([
    ['that is not a number', 'until=soon', 'until must be epoch milliseconds'],
    ['before since', `since=${START}&until=${START - 1}`, 'until must not be before since'],
  ])('refuses an until %s with a 400 naming until', async (_, search, message) => {
    const answer = await server.call('GET', `${ASK}&${search}`, { as: 'vic-viewer' });
    expect(answer.statusCode, answer.body).toBe(400);
    expect(answer.json()).toMatchObject({
      error: { code: 'validation_failed', details: { issues: [{ path: 'until', message }] } },
    });
  });

  it('takes an until at or after since', async () => {
    for (const until of [START, START + 60_000]) {
      const answer = await server.call('GET', `${ASK}&since=${START}&until=${until}`, {
        as: 'vic-viewer',
      });
      expect(answer.statusCode, answer.body).toBe(200);
      // The simulation counts no evaluations, and says so.
      expect(flagEvaluationsSchema.parse(answer.json()).unavailable).toBeTruthy();
    }
  });
});

// A real Prometheus scraping an OpenFeature hook's counter, read through the real server.
const installed = prometheusInstalled('flag evaluations read from Prometheus');

describe.skipIf(!installed)('flag evaluations read from Prometheus', { timeout: 60_000 }, () => {
  let setup: FlagEvaluationsSetup | undefined;
  let faultline: FaultlineApp;
  let token: string;

  beforeAll(async () => {
    setup = await startFlagEvaluationsSetup();
    faultline = setup.faultline;
    token = await setup.viewerToken();
  });

  afterAll(() => setup?.stop());

  async function series(search: string): Promise<FlagEvaluationSeries[]> {
    const answer = await faultline.app.inject({
      method: 'GET',
      url: `${ASK}&${search}`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(answer.statusCode, answer.body).toBe(200);
    return flagEvaluationsSchema.parse(answer.json()).series;
  }

  it('answers each flag, variant and reason over the window, ending at until', async () => {
    const since = Date.now() - 60_000;
    // Until Prometheus holds a few seconds of rates: the fallback series with 4 points or more.
    let fallback: FlagEvaluationSeries | undefined;
    await expect
      .poll(
        async () => {
          fallback = (await series(`since=${since}`)).find((s) => s.reason === 'ERROR');
          return fallback?.points.filter((p) => p.perSecond > 0).length ?? 0;
        },
        { timeout: 40_000, interval: 500 },
      )
      .toBeGreaterThanOrEqual(4);
    const points = fallback?.points.filter((p) => p.perSecond > 0) ?? [];
    const until = points[1]!.t;

    const ended = await series(`since=${since}&until=${until}`);
    expect(ended.map(({ flag, variant, reason }) => ({ flag, variant, reason }))).toEqual(
      expect.arrayContaining([
        { flag: 'new-checkout', variant: 'fallback', reason: 'ERROR' },
        { flag: 'new-checkout', variant: 'on', reason: 'TARGETING_MATCH' },
      ]),
    );
    const last = Math.max(...ended.flatMap((s) => s.points.map((p) => p.t)));
    // The window ends at until: what was counted after it is not in the answer.
    expect(last).toBeLessThanOrEqual(until);
    expect(last).toBeGreaterThan(until - 2_000);
    const ratePoint = ended.find((s) => s.reason === 'ERROR')?.points.at(-1);
    expect(ratePoint?.perSecond).toBeGreaterThan(0);
  });
});
