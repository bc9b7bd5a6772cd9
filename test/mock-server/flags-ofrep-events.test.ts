import http from 'node:http';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sseEventData } from './ofrep-spec-schemas';
import { testServer, type TestServer } from './test-server';

const validateEventData = new Ajv2020({ strict: true }).compile(sseEventData);
/** Longest wait for an event that must come, in ms. */
const EVENT_WAIT_MS = 5_000;

interface SseEvent {
  id?: string;
  event?: string;
  data: string;
}

/** An open event stream, read as a browser's EventSource reads it (frames, not comments). */
function openStream(url: string, headers: Record<string, string> = {}) {
  const events: SseEvent[] = [];
  const waiting: (() => void)[] = [];
  let buffer = '';
  let status = 0;
  let responseHeaders: http.IncomingHttpHeaders = {};
  const request = http.get(url, { headers: { accept: 'text/event-stream', ...headers } });
  const opened = new Promise<void>((resolve, reject) => {
    request.on('error', reject);
    request.on('response', (response) => {
      status = response.statusCode ?? 0;
      responseHeaders = response.headers;
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event: SseEvent = { data: '' };
          let hasData = false;
          for (const line of block.split('\n')) {
            const [field, ...rest] = line.split(':');
            const value = rest.join(':').replace(/^ /, '');
            if (field === 'id') event.id = value;
            else if (field === 'event') event.event = value;
            else if (field === 'data') {
              event.data += (hasData ? '\n' : '') + value;
              hasData = true;
            }
          }
          if (hasData) events.push(event);
        }
        for (const wake of waiting.splice(0)) wake();
      });
      resolve();
    });
  });
  return {
    opened,
    status: () => status,
    headers: () => responseHeaders,
    events,
    /** Waits until the stream has sent `count` events in all. */
    async until(count: number): Promise<SseEvent[]> {
      const deadline = Date.now() + EVENT_WAIT_MS;
      while (events.length < count) {
        if (Date.now() > deadline) throw new Error(`only ${events.length} of ${count} events`);
        await new Promise<void>((resolve) => {
          waiting.push(resolve);
          setTimeout(resolve, 100);
        });
      }
      return events;
    },
    close: () => request.destroy(),
  };
}

let server: TestServer;
let base: string;
let key: string;

async function bulk(query = '', headers: Record<string, string> = {}) {
  const response = await fetch(`${base}/ofrep/v1/evaluate/flags${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': key, ...headers },
    body: JSON.stringify({ context: { targetingKey: 'u-7', email: 'ana@faultline.dev' } }),
  });
  return {
    status: response.status,
    etag: response.headers.get('etag') ?? '',
    body: response.status === 200 ? await response.json() : null,
  };
}

const newCheckout = (answer: { body: { flags: { key: string }[] } | null }) =>
  answer.body?.flags.find((flag) => flag.key === 'new-checkout');

beforeAll(async () => {
  server = await testServer();
  base = await server.app.listen({ host: '127.0.0.1', port: 0 });
  key = (
    await server.call('POST', '/api/v1/ofrep-keys/production/rotate', { as: 'ada-admin', body: {} })
  ).json().key as string;
});
afterAll(() => server.app.close());

describe('OFREP flag change events (ADR-0008)', () => {
  it('names its event stream in every bulk answer and tells it at once when a flag is killed', async () => {
    const first = await bulk();
    expect(first.body.eventStreams).toEqual([
      {
        type: 'sse',
        endpoint: { requestUri: expect.stringMatching(/^\/ofrep\/v1\/event-stream\?channel=/) },
        inactivityDelaySec: 120,
      },
    ]);
    const stream = openStream(`${base}${first.body.eventStreams[0].endpoint.requestUri}`);
    await stream.opened;
    expect(stream.status()).toBe(200);
    expect(stream.headers()['content-type']).toMatch(/^text\/event-stream/);
    expect(stream.headers()['access-control-allow-origin']).toBe('*');

    await server.call('POST', '/api/v1/flags/new-checkout/kill', {
      body: { environment: 'production' },
    });
    const [told] = await stream.until(1);
    expect(told?.event).toBe('message');
    expect(told?.id).toMatch(/.+/);
    const data = JSON.parse(told?.data ?? '') as { type: string; etag: string };
    expect(validateEventData(data), JSON.stringify(validateEventData.errors)).toBe(true);
    expect(data).toMatchObject({ type: 'refetchEvaluation', etag: told?.id });

    // The provider's re-fetch, as ADR-0008 asks: the event's metadata in the query string.
    const query = `?flagConfigEtag=${encodeURIComponent(data.etag)}&flagConfigLastModified=1`;
    const refetched = await bulk(query, { 'if-none-match': first.etag });
    expect(refetched.status).toBe(200);
    expect(newCheckout(refetched)).toMatchObject({ reason: 'DISABLED', value: false });

    await server.call('POST', '/api/v1/flags/new-checkout/enable', {
      body: { environment: 'production' },
    });
    await stream.until(2);
    stream.close();
  });

  it('makes one event of changes committed together, and replays only what a client missed', async () => {
    const { body } = await bulk();
    const url = `${base}${body.eventStreams[0].endpoint.requestUri}`;
    const stream = openStream(url);
    await stream.opened;
    // One import writing two flags is one transaction: one event. The kill after it is another.
    const imported = await server.call('POST', '/api/v1/flags/import', {
      as: 'ada-admin',
      body: {
        environment: 'production',
        document: {
          flags: {
            'import-a': { state: 'ENABLED', variants: { on: true }, defaultVariant: 'on' },
            'import-b': { state: 'ENABLED', variants: { on: true }, defaultVariant: 'on' },
          },
        },
      },
    });
    expect(imported.statusCode, imported.body).toBe(200);
    await server.call('POST', '/api/v1/flags/import-a/kill', {
      body: { environment: 'production' },
    });
    const [fromImport, fromKill] = await stream.until(2);
    expect(fromKill?.id).not.toBe(fromImport?.id);

    // Resuming from the import's event: told at once that it missed the kill.
    const behind = openStream(url, { 'last-event-id': fromImport?.id ?? '' });
    await behind.opened;
    expect((await behind.until(1))[0]?.data).toBe(fromKill?.data);
    // Resuming from the latest event: nothing until the next change.
    const current = openStream(url, { 'last-event-id': fromKill?.id ?? '' });
    await current.opened;
    await server.call('POST', '/api/v1/flags/import-b/kill', {
      body: { environment: 'production' },
    });
    const [next] = await current.until(1);
    const [, , third] = await stream.until(3);
    expect(next?.data).toBe(third?.data);
    expect(next?.id).not.toBe(fromKill?.id);
    for (const open of [stream, behind, current]) open.close();
  });

  it('refuses a stream without a known channel (403), still readable across origins', async () => {
    const stream = openStream(`${base}/ofrep/v1/event-stream?channel=guess`);
    await stream.opened;
    expect(stream.status()).toBe(403);
    expect(stream.headers()['access-control-allow-origin']).toBe('*');
    stream.close();
  });
});
