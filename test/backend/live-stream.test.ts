import { afterEach, describe, expect, it } from 'vitest';
import { startLiveStream, type ResumableStream } from '@/backend/http/live-stream';
import { BackendError } from '@/backend/errors';
import { SseParser, type SseMessage } from '@/backend/http/sse-parser';
import type { StreamEvent } from '@/domain/api';
import { sseStream, until } from './sse-stream';
import type { ConnectionChange } from '@/backend/backend';

const halt = (id: string): StreamEvent => ({ type: 'halt-all', by: 'sam-sre', halted: [id] });

describe('the event-stream parser', () => {
  it('parses events split anywhere across chunks, ignoring comments', () => {
    const messages: SseMessage[] = [];
    const parser = new SseParser((m) => messages.push(m));
    const text =
      ': connected\n\nid: 7\nevent: message\ndata: {"a":\ndata: 1}\n\n: ping\n\nid: 8\r\ndata: x\r\n\r\n';
    for (const chunk of text.match(/.{1,3}/gs) ?? []) parser.feed(chunk);
    expect(messages).toEqual([
      { id: '7', event: 'message', data: '{"a":\n1}' },
      { id: '8', event: 'message', data: 'x' },
    ]);
  });
});

describe('the live stream', () => {
  let stream: ResumableStream | null = null;
  afterEach(() => stream?.close());

  it('reconnects after a drop and resumes from the last event id it saw', async () => {
    const first = sseStream();
    const second = sseStream();
    const opened: (string | null)[] = [];
    const events: StreamEvent[] = [];
    const states: ConnectionChange['state'][] = [];
    stream = startLiveStream({
      open: async (lastEventId) => {
        opened.push(lastEventId);
        return (opened.length === 1 ? first : second).response();
      },
      onEvent: (event) => events.push(event),
      onConnection: ({ state }) => states.push(state),
      backoffMs: () => 5,
    });
    await until(() => opened.length === 1);
    first.send(41, halt('a'));
    first.send(42, halt('b'));
    await until(() => events.length === 2);
    first.drop();
    await until(() => opened.length === 2);
    second.send(43, halt('c'));
    await until(() => events.length === 3);

    expect(opened).toEqual([null, '42']);
    expect(events.map((e) => (e.type === 'halt-all' ? e.halted[0] : ''))).toEqual(['a', 'b', 'c']);
    expect(states).toEqual(['connecting', 'live', 'reconnecting', 'live']);
  });

  it('calls itself offline after repeated failures, and keeps trying', async () => {
    let attempts = 0;
    const states: ConnectionChange[] = [];
    stream = startLiveStream({
      open: async () => {
        attempts++;
        throw new BackendError('unavailable', 'down', { code: 'network_error' });
      },
      onEvent: () => {},
      onConnection: (change) => states.push(change),
      backoffMs: () => 5,
    });
    await until(() => attempts >= 5);
    expect(states.slice(1, 4).map((s) => s.state)).toEqual([
      'reconnecting',
      'reconnecting',
      'offline',
    ]);
    expect(states.at(-1)?.error?.code).toBe('network_error');
  });

  it('stops for good when the server no longer knows the token', async () => {
    let attempts = 0;
    const states: ConnectionChange['state'][] = [];
    stream = startLiveStream({
      open: async () => {
        attempts++;
        throw new BackendError('unauthorised', 'unknown token', { code: 'unauthenticated' });
      },
      onEvent: () => {},
      onConnection: ({ state }) => states.push(state),
      backoffMs: () => 1,
    });
    await until(() => states.includes('closed'));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(attempts).toBe(1);
  });

  it('skips an event that fails its schema and goes on with the next', async () => {
    const body = sseStream();
    const events: StreamEvent[] = [];
    const invalid: Error[] = [];
    stream = startLiveStream({
      open: async () => body.response(),
      onEvent: (event) => events.push(event),
      onConnection: () => {},
      onInvalidEvent: (error) => invalid.push(error),
    });
    body.send(1, { type: 'experiment', change: 'exploded' });
    body.send(2, halt('a'));
    await until(() => events.length === 1);
    expect(invalid).toHaveLength(1);
    expect(stream.lastEventId()).toBe('2');
  });

  it('treats a silent connection as dead and reconnects', async () => {
    const silent = sseStream();
    const next = sseStream();
    let opened = 0;
    stream = startLiveStream({
      open: async () => (++opened === 1 ? silent : next).response(),
      onEvent: () => {},
      onConnection: () => {},
      idleTimeoutMs: 20,
      backoffMs: () => 1,
    });
    await until(() => opened === 2);
  });
});
