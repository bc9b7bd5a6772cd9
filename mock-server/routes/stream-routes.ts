import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ERROR_CODES, type StreamEvent, type User } from '../../src/domain';
import { sseFrame } from '../bus';
import type { ServerContext } from '../context';
import { HttpError } from '../errors';
import { answers } from '../route-schemas';
import { createStreamHub } from './stream-hub';

const streamQuerySchema = z.object({
  ticket: z.string().min(1).optional(),
  lastEventId: z.coerce.number().int().min(0).optional(),
});
const lastEventIdHeader = z.coerce.number().int().min(0);

const STREAM_HEAD = [
  'HTTP/1.1 200 OK',
  'content-type: text/event-stream; charset=utf-8',
  'cache-control: no-cache, no-transform',
  'x-accel-buffering: no',
  'connection: close',
  '',
  '',
].join('\r\n');

const RESET: StreamEvent = { type: 'resource', resource: '*', change: 'reset' };

/**
 * The most a reconnecting client is replayed, in bytes and events: further back, it is told to
 * refetch (a reset) instead. Ten readers resuming from minutes back (tens of MB each at a 100 ms
 * tick) must not hold the event loop while a halt-all waits.
 */
export const REPLAY_MAX_BYTES_PER_CLIENT = 1024 * 1024;
const REPLAY_MAX_EVENTS_PER_CLIENT = 2_000;

export async function streamRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  const hub = createStreamHub(ctx.bus, ctx.clock);
  app.addHook('preClose', async () => hub.close());

  /** A stream is opened with a bearer header (fetch) or a single-use ticket (EventSource cannot send headers). */
  function streamUser(request: FastifyRequest, ticket: string | undefined): User {
    if (request.user) return request.user;
    const user = ticket ? ctx.identity.redeemStreamTicket(ticket) : null;
    if (!user)
      throw new HttpError(
        401,
        ERROR_CODES.unauthenticated,
        'the stream needs a bearer token or a fresh stream ticket',
      );
    return user;
  }

  /** What a reconnecting client missed: the kept events after its last id, or a reset when too many. */
  function replayAfter(lastEventId: number | undefined): string {
    if (lastEventId === undefined) return '';
    const reset = () => sseFrame(ctx.bus.latestId(), RESET);
    const missed = ctx.bus.since(lastEventId);
    if (missed === null || missed.length > REPLAY_MAX_EVENTS_PER_CLIENT) return reset();
    let bytes = 0;
    for (const record of missed) {
      bytes += record.frame.length;
      if (bytes > REPLAY_MAX_BYTES_PER_CLIENT) return reset();
    }
    return missed.map((record) => record.frame).join('');
  }

  const streamSchema = {
    querystring: streamQuerySchema,
    response: answers({ 200: { content: { 'text/event-stream': { schema: z.string() } } } }),
  };
  app
    .withTypeProvider<ZodTypeProvider>()
    .get(
      '/api/v1/stream',
      { config: { public: true }, schema: streamSchema },
      async (request, reply) => {
        const query = request.query;
        streamUser(request, query.ticket);
        const header = request.headers['last-event-id'];
        const fromHeader =
          typeof header === 'string' && header.trim()
            ? lastEventIdHeader.safeParse(header.trim())
            : null;
        const lastEventId = fromHeader?.success ? fromHeader.data : query.lastEventId;

        // The stream is written on the socket itself: a response that lasts until the connection
        // closes (so no chunked framing) and one plain write per event burst.
        reply.hijack();
        const socket = request.raw.socket;
        socket.setNoDelay(true);
        socket.setTimeout(0);
        socket.write(STREAM_HEAD + ': connected\n\n');
        const remove = hub.add(socket, replayAfter(lastEventId));
        socket.on('close', remove);
        socket.on('error', remove);
      },
    );
}
