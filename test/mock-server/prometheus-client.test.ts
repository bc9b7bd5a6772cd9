import { describe, expect, it } from 'vitest';
import { parseBackendsConfig } from '../../mock-server/backends/backends-config';
import { prometheusFlagEvaluations } from '../../mock-server/backends/prometheus/flag-evaluations';
import { prometheusClient } from '../../mock-server/backends/prometheus/prometheus-client';

// The client's own timer is what bounds a query: these fetches never settle and never look at
// their signal, as a fetch does when the link from the caller's signal into it is lost.
const neverSettles: typeof fetch = () => new Promise<Response>(() => {});

/** A 200 whose body starts and never ends, deaf to any abort. */
const bodyNeverEnds: typeof fetch = () =>
  Promise.resolve(
    new Response(
      new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"status":"success","data":'));
        },
      }),
      { status: 200, headers: { 'content-type': 'application/json' } },
    ),
  );

/** A fetch answering `body` as JSON, keeping the form it was sent. */
function answeringWith(body: unknown, sent: URLSearchParams[] = []): typeof fetch {
  return (_input, init) => {
    sent.push(new URLSearchParams(String(init?.body ?? '')));
    return Promise.resolve(Response.json(body));
  };
}

const answering = answeringWith({
  status: 'success',
  data: { resultType: 'vector', result: [{ metric: {}, value: [1_700_000_000, '0.25'] }] },
});

describe('the Prometheus client under a fetch that never settles', () => {
  it('gives up on an instant query after its timeout, saying so', async () => {
    const client = prometheusClient({
      url: 'http://127.0.0.1:1',
      timeoutMs: 80,
      fetch: neverSettles,
    });
    expect(await client.instant('up', Date.now())).toEqual({
      missing: 'Prometheus did not answer within 80 ms',
    });
  });

  it.each(['range', 'matrix'] as const)(
    'gives up on a body that never ends, on the range timeout (%s)',
    async (method) => {
      const client = prometheusClient({
        url: 'http://127.0.0.1:1',
        timeoutMs: 5_000,
        rangeTimeoutMs: 80,
        fetch: bodyNeverEnds,
      });
      expect(await client[method]('up', 0, 60_000, 1_000)).toEqual({
        missing: 'Prometheus did not answer within 80 ms',
      });
    },
  );

  it('gives up when the evaluation’s deadline passes, before its own timeout', async () => {
    const client = prometheusClient({
      url: 'http://127.0.0.1:1',
      timeoutMs: 60_000,
      fetch: neverSettles,
    });
    const deadline = new AbortController();
    const answer = client.vector('up', Date.now(), deadline.signal);
    deadline.abort();
    expect(await answer).toEqual({ missing: 'Prometheus did not answer within 60000 ms' });
    // A deadline already passed asks nothing at all.
    let asked = 0;
    const counting = prometheusClient({
      url: 'http://127.0.0.1:1',
      timeoutMs: 60_000,
      fetch: () => {
        asked++;
        return neverSettles('');
      },
    });
    expect(await counting.instant('up', Date.now(), deadline.signal)).toHaveProperty('missing');
    expect(asked).toBe(0);
  });

  it('reads an answer that comes in time as before', async () => {
    const client = prometheusClient({ url: 'http://127.0.0.1:1', timeoutMs: 80, fetch: answering });
    expect(await client.instant('up', Date.now())).toEqual({ value: 0.25, t: 1_700_000_000_000 });
  });
});

describe("the Prometheus client's matrix", () => {
  it('answers every series of a range with its labels, leaving out NaN', async () => {
    const sent: URLSearchParams[] = [];
    const client = prometheusClient({
      url: 'http://127.0.0.1:1',
      timeoutMs: 80,
      fetch: answeringWith(
        {
          status: 'success',
          data: {
            resultType: 'matrix',
            result: [
              {
                metric: { flag: 'new-checkout', variant: 'on', reason: 'TARGETING_MATCH' },
                values: [
                  [1_700_000_000, '10'],
                  [1_700_000_001.5, 'NaN'],
                  [1_700_000_002, '12.5'],
                ],
              },
              {
                metric: { flag: 'new-checkout', variant: 'fallback', reason: 'ERROR' },
                values: [[1_700_000_002, '30']],
              },
            ],
          },
        },
        sent,
      ),
    });
    expect(await client.matrix('q', 1_699_999_940_000, 1_700_000_002_000, 500)).toEqual({
      series: [
        {
          labels: { flag: 'new-checkout', variant: 'on', reason: 'TARGETING_MATCH' },
          points: [
            { t: 1_700_000_000_000, value: 10 },
            { t: 1_700_000_002_000, value: 12.5 },
          ],
        },
        {
          labels: { flag: 'new-checkout', variant: 'fallback', reason: 'ERROR' },
          points: [{ t: 1_700_000_002_000, value: 30 }],
        },
      ],
    });
    expect(Object.fromEntries(sent[0]!)).toEqual({
      query: 'q',
      start: '1699999940',
      end: '1700000002',
      step: '0.5',
    });
  });

  it('answers no series as an answer, and a refusal or another shape as words', async () => {
    const empty = { status: 'success', data: { resultType: 'matrix', result: [] } };
    const ask = (body: unknown) =>
      prometheusClient({
        url: 'http://127.0.0.1:1',
        timeoutMs: 80,
        fetch: answeringWith(body),
      }).matrix('q', 0, 60_000, 1_000);
    expect(await ask(empty)).toEqual({ series: [] });
    expect(await ask({ status: 'error', errorType: 'bad_data', error: 'parse error' })).toEqual({
      missing: 'Prometheus refused the query (bad_data: parse error)',
    });
    expect(
      await ask({ status: 'success', data: { resultType: 'scalar', result: [1, '2'] } }),
    ).toEqual({ missing: 'the query answers a scalar, not a series' });
  });
});

describe('flag evaluations read through the Prometheus client', () => {
  const config = parseBackendsConfig({
    environments: {
      staging: {
        metrics: { url: 'http://127.0.0.1:1' },
        fleet: { services: [{ name: 'checkout' }] },
      },
    },
  }).environments.staging!.metrics;

  it("give up on the client's timer when the body never ends, saying so", async () => {
    const flagEvaluations = prometheusFlagEvaluations({
      environment: 'staging',
      config,
      client: prometheusClient({
        url: config.url,
        timeoutMs: 5_000,
        rangeTimeoutMs: 80,
        fetch: bodyNeverEnds,
      }),
    });
    const started = Date.now();
    await expect(flagEvaluations({ environment: 'staging', service: 'checkout' })).rejects.toThrow(
      'Prometheus did not answer within 80 ms',
    );
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('ask by flag, variant and reason over the window asked', async () => {
    const sent: URLSearchParams[] = [];
    const flagEvaluations = prometheusFlagEvaluations({
      environment: 'staging',
      config,
      client: prometheusClient({
        url: config.url,
        timeoutMs: 80,
        fetch: answeringWith(
          {
            status: 'success',
            data: {
              resultType: 'matrix',
              result: [
                {
                  metric: { flag: 'new-checkout', variant: 'fallback', reason: 'ERROR' },
                  values: [[1_700_000_000, '3']],
                },
              ],
            },
          },
          sent,
        ),
      }),
    });
    expect(
      await flagEvaluations({
        environment: 'staging',
        service: 'checkout',
        since: 1_699_999_940_000,
        until: 1_700_000_000_000,
      }),
    ).toEqual({
      series: [
        {
          flag: 'new-checkout',
          variant: 'fallback',
          reason: 'ERROR',
          points: [{ t: 1_700_000_000_000, perSecond: 3 }],
        },
      ],
    });
    expect(sent[0]?.get('query')).toBe(
      'sum by (flag, variant, reason) (rate(feature_flag_evaluations_total' +
        '{environment="staging",service="checkout"}[5s]))',
    );
    expect([sent[0]?.get('start'), sent[0]?.get('end')]).toEqual(['1699999940', '1700000000']);
  });
});
