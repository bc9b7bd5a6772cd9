import { afterEach, describe, expect, it } from 'vitest';
import { streamEventSchema, streamTicketResponseSchema, type StreamEvent } from '../../src/domain';
import { REPLAY_MAX_BYTES_PER_CLIENT } from '../../mock-server/routes/stream-routes';
import { cpuSpec, createExperiment, testServer, type TestServer } from './test-server';

interface Received {
  id: number;
  event: StreamEvent;
}

/** A stream client over fetch: reads SSE frames as they arrive. */
async function openStream(url: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const response = await fetch(url, { headers, signal: controller.signal });
  const received: Received[] = [];
  let buffer = '';
  const reading = (async () => {
    if (!response.body) return;
    const decoder = new TextDecoder();
    const reader = response.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const id = /^id: (\d+)$/m.exec(frame)?.[1];
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          if (id !== undefined && data !== undefined)
            received.push({ id: Number(id), event: streamEventSchema.parse(JSON.parse(data)) });
          end = buffer.indexOf('\n\n');
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  return {
    response,
    received,
    /** Waits (at most 5 s) until `count` events have arrived. */
    async waitFor(count: number): Promise<Received[]> {
      const deadline = Date.now() + 5000;
      while (received.length < count && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 5));
      return received;
    },
    async close() {
      controller.abort();
      await reading;
    },
  };
}

const servers: TestServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.app.close();
});

async function listening() {
  const server = await testServer();
  servers.push(server);
  const address = await server.app.listen({ host: '127.0.0.1', port: 0 });
  const token = await server.tokenFor('vic-viewer');
  return { server, base: `${address}/api/v1/stream`, auth: { authorization: `Bearer ${token}` } };
}

describe('the live stream', () => {
  it('resumes after a reconnect with Last-Event-ID: every missed event, in order, nothing twice', async () => {
    const { server, base, auth } = await listening();
    const first = await openStream(base, auth);
    expect(first.response.headers.get('content-type')).toContain('text/event-stream');
    server.advance(3);
    const seen = await first.waitFor(3);
    expect(seen.map((r) => r.event.type)).toEqual(['metrics', 'metrics', 'metrics']);
    expect(seen.map((r) => r.id)).toEqual([seen[0]!.id, seen[0]!.id + 1, seen[0]!.id + 2]);
    const lastSeen = seen.at(-1)!.id;
    await first.close();

    // While the client is away: two ticks and an experiment created.
    server.advance(2);
    const created = await createExperiment(server, cpuSpec());

    const kept = server.context.bus.since(lastSeen) ?? [];
    expect(kept.length).toBeGreaterThanOrEqual(3);
    const second = await openStream(base, { ...auth, 'last-event-id': String(lastSeen) });
    const missed = await second.waitFor(kept.length);
    expect(missed.map((r) => r.id)).toEqual(kept.map((_, i) => lastSeen + 1 + i));
    expect(missed).toEqual(kept.map((record) => ({ id: record.id, event: record.event })));
    expect(missed.filter((r) => r.event.type === 'metrics')).toHaveLength(2);
    expect(missed.map((r) => r.event)).toContainEqual(
      expect.objectContaining({
        type: 'experiment',
        change: 'created',
        experiment: expect.objectContaining({ id: created.id }),
      }),
    );

    server.advance(1);
    const live = await second.waitFor(kept.length + 1);
    expect(live.at(-1)?.id).toBe(lastSeen + kept.length + 1);
    await second.close();
  });

  it('opens with a single-use stream ticket and resumes from the lastEventId query parameter', async () => {
    const { server, base, auth } = await listening();
    server.advance(2);
    const ticketResponse = await fetch(base.replace('/stream', '/stream-ticket'), {
      method: 'POST',
      headers: auth,
    });
    const { ticket, expiresAt } = streamTicketResponseSchema.parse(await ticketResponse.json());
    expect(expiresAt).toBe(server.context.clock.now() + 30_000);

    const kept = server.context.bus.since(1) ?? [];
    expect(kept.length).toBeGreaterThanOrEqual(2);
    const stream = await openStream(`${base}?ticket=${ticket}&lastEventId=1`);
    expect(stream.response.status).toBe(200);
    const replayed = await stream.waitFor(kept.length);
    expect(replayed).toEqual(kept.map((record) => ({ id: record.id, event: record.event })));
    expect(replayed[0]?.id).toBe(2);
    await stream.close();

    const reused = await fetch(`${base}?ticket=${ticket}`);
    expect(reused.status).toBe(401);
    expect(((await reused.json()) as { error: { code: string } }).error.code).toBe(
      'unauthenticated',
    );
  });

  it('tells a client whose last id is not in the replay buffer to refetch everything', async () => {
    const { server, base, auth } = await listening();
    server.advance(2);
    const stream = await openStream(base, { ...auth, 'last-event-id': '999999' });
    const [first] = await stream.waitFor(1);
    expect(first?.event).toEqual({ type: 'resource', resource: '*', change: 'reset' });
    await stream.close();
  });

  it('tells a client that missed more than one replay may hold to refetch, then carries on live', async () => {
    const { server, base, auth } = await listening();
    server.advance(1);
    const lastSeen = server.context.bus.latestId();
    const missedBytes = () =>
      (server.context.bus.since(lastSeen) ?? []).reduce((sum, r) => sum + r.frame.length, 0);
    for (let i = 0; i < 1000 && missedBytes() <= REPLAY_MAX_BYTES_PER_CLIENT; i++)
      server.advance(10);
    expect(server.context.bus.since(lastSeen)).not.toBeNull();
    expect(missedBytes()).toBeGreaterThan(REPLAY_MAX_BYTES_PER_CLIENT);

    const stream = await openStream(base, { ...auth, 'last-event-id': String(lastSeen) });
    const [first] = await stream.waitFor(1);
    expect(first).toEqual({
      id: server.context.bus.latestId(),
      event: { type: 'resource', resource: '*', change: 'reset' },
    });
    server.advance(1);
    const [, live] = await stream.waitFor(2);
    expect(live?.event.type).toBe('metrics');
    expect(stream.received).toHaveLength(2);
    await stream.close();
  });

  it('refuses a client with neither a token nor a ticket', async () => {
    const { base } = await listening();
    const response = await fetch(base);
    expect(response.status).toBe(401);
  });
});
