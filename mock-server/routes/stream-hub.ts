import type { Socket } from 'node:net';
import type { EventBus } from '../bus';
import type { Clock } from '../clock';

/** A comment line keeps proxies from closing an idle stream, every 15 s. */
export const PING_INTERVAL_MS = 15_000;
/** A client that lets this much pile up unread is dropped; it resumes with Last-Event-ID (bytes). */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

/**
 * Every open stream, fed from one bus subscription. Events published in one synchronous burst
 * (a halt-all's per-experiment events and its halt-all event) go out as one write per client,
 * straight to its socket: no chunk framing, no cork until the next tick, so 1 000 clients cost
 * 1 000 plain writes.
 */
export function createStreamHub(bus: EventBus, clock: Clock) {
  const clients = new Set<Socket>();
  let pending: string[] = [];
  let scheduled = false;

  const drop = (raw: Socket) => {
    clients.delete(raw);
    if (!raw.destroyed) raw.end();
  };
  const broadcast = (chunk: string) => {
    for (const raw of clients) {
      if (raw.writableLength > MAX_BUFFERED_BYTES) drop(raw);
      else raw.write(chunk);
    }
  };
  const flush = () => {
    scheduled = false;
    if (pending.length === 0) return;
    const chunk = pending.join('');
    pending = [];
    broadcast(chunk);
  };
  const unsubscribe = bus.subscribe((record) => {
    pending.push(record.frame);
    if (!scheduled) {
      scheduled = true;
      // After the current I/O callbacks: the request that caused the burst gets its answer
      // first, then every client gets the burst in one write.
      setImmediate(flush);
    }
  });
  const stopPing = clock.every(PING_INTERVAL_MS, () => broadcast(': ping\n\n'));

  return {
    /** Adds a client after `replay` is written, so it misses nothing and gets nothing twice. */
    add(raw: Socket, replay: string): () => void {
      flush();
      if (replay) raw.write(replay);
      clients.add(raw);
      return () => drop(raw);
    },
    count: () => clients.size,
    close() {
      flush();
      unsubscribe();
      stopPing();
      for (const raw of [...clients]) drop(raw);
    },
  };
}
