import type { StreamEvent } from '../src/domain';
import type { Clock } from './clock';

/** How long the stream keeps events for clients that reconnect, in ms (10 min). */
export const REPLAY_WINDOW_MS = 10 * 60_000;
/** Upper bound on kept events, whatever the tick rate. */
export const REPLAY_MAX_EVENTS = 20_000;
/**
 * Upper bound on kept frames, in bytes (characters of SSE text), whatever their size: at a
 * 100 ms tick a metrics frame is ~6 kB, and ten minutes of them would be ~35 MB. A client is
 * never replayed more than 1 MiB anyway (a reset instead; see the stream routes).
 */
export const REPLAY_MAX_BYTES = 4 * 1024 * 1024;

interface StreamRecord {
  id: number;
  /** epoch ms */
  at: number;
  event: StreamEvent;
  /** The event as an SSE frame, serialised once for every client. */
  frame: string;
}

export interface EventBus {
  /** Sends an event to every subscriber and keeps it for replay; returns its id. */
  publish(event: StreamEvent): number;
  subscribe(listener: (record: StreamRecord) => void): () => void;
  /**
   * The kept events after `lastId`, oldest first; null when `lastId` is no longer (or not)
   * in the buffer, so the client must refetch everything.
   */
  since(lastId: number): StreamRecord[] | null;
  latestId(): number;
  subscriberCount(): number;
}

export function sseFrame(id: number, event: StreamEvent): string {
  return `id: ${id}\nevent: message\ndata: ${JSON.stringify(event)}\n\n`;
}

export function createEventBus(clock: Clock): EventBus {
  let records: StreamRecord[] = [];
  let start = 0; // index of the oldest kept record; compacted now and then
  let lastId = 0;
  let keptBytes = 0; // frames from `start` on
  const listeners = new Set<(record: StreamRecord) => void>();

  const prune = (now: number) => {
    while (start < records.length) {
      const oldest = records[start];
      if (!oldest) break;
      const newest = start === records.length - 1;
      const tooMany =
        records.length - start > REPLAY_MAX_EVENTS || (keptBytes > REPLAY_MAX_BYTES && !newest);
      if (!tooMany && now - oldest.at <= REPLAY_WINDOW_MS) break;
      keptBytes -= oldest.frame.length;
      start++;
    }
    if (start > 1024 && start * 2 > records.length) {
      records = records.slice(start);
      start = 0;
    }
  };

  return {
    publish(event) {
      const id = ++lastId;
      const record = { id, at: clock.now(), event, frame: sseFrame(id, event) };
      records.push(record);
      keptBytes += record.frame.length;
      prune(record.at);
      for (const listener of listeners) listener(record);
      return id;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    since(after) {
      if (after === lastId) return [];
      const oldest = records[start];
      if (after > lastId || !oldest || after < oldest.id - 1) return null;
      return records.slice(start + (after - oldest.id + 1));
    },
    latestId: () => lastId,
    subscriberCount: () => listeners.size,
  };
}
