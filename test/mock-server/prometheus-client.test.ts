import { describe, expect, it } from 'vitest';
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

const answering: typeof fetch = () =>
  Promise.resolve(
    Response.json({
      status: 'success',
      data: { resultType: 'vector', result: [{ metric: {}, value: [1_700_000_000, '0.25'] }] },
    }),
  );

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

  it('gives up on a body that never ends, on the range timeout', async () => {
    const client = prometheusClient({
      url: 'http://127.0.0.1:1',
      timeoutMs: 5_000,
      rangeTimeoutMs: 80,
      fetch: bodyNeverEnds,
    });
    expect(await client.range('up', 0, 60_000, 1_000)).toEqual({
      missing: 'Prometheus did not answer within 80 ms',
    });
  });

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
