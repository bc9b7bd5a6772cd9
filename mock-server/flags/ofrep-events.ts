import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { ENVIRONMENTS, type Environment } from '../../src/domain';
import type { OfrepStreamEvent } from '../../src/domain/flags';
import type { EventBus } from '../bus';
import type { Clock } from '../clock';
import { CLIENTS_PER_TURN, PING_INTERVAL_MS } from '../routes/stream-hub';

/** Where OFREP's event stream is served; the channel in its query string chooses the environment. */
export const OFREP_EVENT_STREAM_PATH = '/ofrep/v1/event-stream';
/** How long a browser keeps the stream open while its page is hidden, in s (OFREP's default). */
export const OFREP_INACTIVITY_DELAY_SEC = 120;
/** How soon a client reconnects after the stream drops, in ms (the SSE `retry:` field). */
const RETRY_MS = 2_000;
/** A client that lets this much pile up unread is cut off; it reconnects and fetches again (bytes). */
const MAX_BUFFERED_BYTES = 64 * 1024;

const STREAM_HEAD = [
  'HTTP/1.1 200 OK',
  'content-type: text/event-stream; charset=utf-8',
  'cache-control: no-cache, no-transform',
  'x-accel-buffering: no',
  'access-control-allow-origin: *',
  'connection: close',
  '',
  '',
].join('\r\n');

/**
 * OFREP's flag change notifications (ADR-0008): every bulk answer names an SSE stream, and
 * whenever a flag or segment change commits, every open stream is sent one `refetchEvaluation`
 * event, so providers fetch their flags again at once instead of on their next poll. Changes
 * committed together (a halt-all killing many flags) make one event.
 *
 * EventSource cannot send an API key, so the stream's URL carries a channel: a random token per
 * environment and per server start, handed out only in answers to a request with that
 * environment's key. It grants nothing but these notifications. Every environment's streams are
 * told of every change: a flag's version, served in its metadata, changes in all of them.
 */
export function ofrepEvents(bus: EventBus, clock: Clock) {
  /** Event ids start with this, so a client that resumes across a restart is told to fetch. */
  const epoch = randomBytes(4).toString('hex');
  const channels = new Map<string, Environment>();
  const channelOf = new Map<Environment, string>();
  for (const environment of ENVIRONMENTS) {
    const channel = randomBytes(18).toString('base64url');
    channels.set(channel, environment);
    channelOf.set(environment, channel);
  }
  const subscribers = new Set<Socket>();
  let revision = 0;
  /** Unix time of the last change, in s. */
  let lastModified = Math.floor(clock.now() / 1000);
  let scheduled = false;

  const eventId = () => `${epoch}-${revision}`;
  const frame = () => {
    const data: OfrepStreamEvent = { type: 'refetchEvaluation', etag: eventId(), lastModified };
    return `id: ${eventId()}\nevent: message\ndata: ${JSON.stringify(data)}\n\n`;
  };

  const write = (socket: Socket, text: string) => {
    if (socket.destroyed) return subscribers.delete(socket);
    if (socket.writableLength > MAX_BUFFERED_BYTES) {
      subscribers.delete(socket);
      return socket.destroy();
    }
    socket.write(text);
  };

  /** Writes `text` to every subscriber, `CLIENTS_PER_TURN` per turn of the event loop. */
  const broadcast = (text: string) => {
    const all = [...subscribers];
    const writeFrom = (start: number) => {
      for (const socket of all.slice(start, start + CLIENTS_PER_TURN)) write(socket, text);
      if (start + CLIENTS_PER_TURN < all.length)
        setImmediate(() => writeFrom(start + CLIENTS_PER_TURN));
    };
    writeFrom(0);
  };

  const unsubscribe = bus.subscribe((record) => {
    const event = record.event;
    if (event.type !== 'resource' || (event.resource !== 'flags' && event.resource !== 'segments'))
      return;
    revision = record.id;
    lastModified = Math.floor(record.at / 1000);
    if (scheduled) return;
    scheduled = true;
    // After the current I/O callbacks: the change's own request is answered first, and every
    // event of one transaction (published together) becomes one notification.
    setImmediate(() => {
      scheduled = false;
      broadcast(frame());
    });
  });
  const stopPing = clock.every(PING_INTERVAL_MS, () => broadcast(': ping\n\n'));

  return {
    /** The stream an environment's bulk answers name, relative to the OFREP base URL's origin. */
    requestUriFor: (environment: Environment): string =>
      `${OFREP_EVENT_STREAM_PATH}?channel=${channelOf.get(environment) ?? ''}`,
    environmentOf: (channel: string): Environment | null => channels.get(channel) ?? null,
    /**
     * Starts a stream on a hijacked socket. A client resuming from an event other than the latest
     * (it missed one, or the server restarted) is told to fetch again at once.
     */
    add(socket: Socket, lastEventId: string | undefined): void {
      socket.setNoDelay(true);
      socket.setTimeout(0);
      const missed = lastEventId !== undefined && lastEventId !== eventId();
      socket.write(`${STREAM_HEAD}retry: ${RETRY_MS}\n: connected\n\n${missed ? frame() : ''}`);
      subscribers.add(socket);
      const remove = () => subscribers.delete(socket);
      socket.on('close', remove);
      socket.on('error', remove);
    },
    count: () => subscribers.size,
    close(): void {
      unsubscribe();
      stopPing();
      for (const socket of subscribers) socket.end();
      subscribers.clear();
    },
  };
}
export type OfrepEvents = ReturnType<typeof ofrepEvents>;
