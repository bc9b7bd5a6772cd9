import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ERROR_CODES, type StreamEvent, type User } from '../../src/domain';
import { sseFrame, type StreamRecord } from '../bus';
import type { ServerContext } from '../context';
import { HttpError } from '../errors';
import { parseWith } from '../parse';

/** A comment line keeps proxies from closing an idle stream, every 15 s. */
export const PING_INTERVAL_MS = 15_000;
/** A client that lets this much pile up unread is dropped; it resumes with Last-Event-ID (bytes). */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

const streamQuerySchema = z.object({
  ticket: z.string().min(1).optional(),
  lastEventId: z.coerce.number().int().min(0).optional(),
});
const lastEventIdHeader = z.coerce.number().int().min(0);

const RESET: StreamEvent = { type: 'resource', resource: '*', change: 'reset' };

export async function streamRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  const open = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const close of [...open]) close();
  });

  /** A stream is opened with a bearer header (fetch) or a single-use ticket (EventSource cannot send headers). */
  function streamUser(request: FastifyRequest, ticket: string | undefined): User {
    if (request.user) return request.user;
    const user = ticket ? ctx.identity.redeemStreamTicket(ticket) : null;
    if (!user) throw new HttpError(401, ERROR_CODES.unauthenticated, 'the stream needs a bearer token or a fresh stream ticket');
    return user;
  }

  app.get('/api/v1/stream', { config: { public: true } }, async (request, reply) => {
    const query = parseWith(streamQuerySchema, request.query);
    streamUser(request, query.ticket);
    const header = request.headers['last-event-id'];
    const fromHeader = typeof header === 'string' && header.trim() ? lastEventIdHeader.safeParse(header.trim()) : null;
    const lastEventId = fromHeader?.success ? fromHeader.data : query.lastEventId;

    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    raw.write(': connected\n\n');
    if (lastEventId !== undefined) {
      const missed = ctx.bus.since(lastEventId);
      if (missed === null) raw.write(sseFrame(ctx.bus.latestId(), RESET));
      else for (const record of missed) raw.write(record.frame);
    }

    const send = (record: StreamRecord) => {
      if (raw.writableLength > MAX_BUFFERED_BYTES) close();
      else raw.write(record.frame);
    };
    const unsubscribe = ctx.bus.subscribe(send);
    const stopPing = ctx.clock.every(PING_INTERVAL_MS, () => raw.write(': ping\n\n'));
    const close = () => {
      unsubscribe();
      stopPing();
      open.delete(close);
      if (!raw.writableEnded) raw.end();
    };
    open.add(close);
    request.raw.on('close', close);
    raw.on('error', close);
  });
}
