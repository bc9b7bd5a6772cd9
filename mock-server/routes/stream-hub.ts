import type { Socket } from 'node:net';
import type { EventBus } from '../bus';
import type { Clock } from '../clock';

/** A comment line keeps proxies from closing an idle stream, every 15 s. */
export const PING_INTERVAL_MS = 15_000;
/** A client that lets this much pile up unread is dropped; it resumes with Last-Event-ID (bytes). */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
/**
 * Clients written per turn of the event loop. Between turns the server reads requests, so a
 * halt-all never waits behind a whole broadcast to every client (at 1 000 clients a broadcast
 * takes 10–20 ms on a small machine).
 */
export const CLIENTS_PER_TURN = 100;

interface StreamClient {
  socket: Socket;
  /** Sequence number of the first burst this client has not been sent. */
  next: number;
}

/**
 * Every open stream, fed from one bus subscription.
 *
 * Events published in one synchronous burst (a tick's metrics; a halt-all's per-experiment
 * events and its halt-all event) become one burst of bytes. A sweep walks the clients in a
 * circle, `clientsPerTurn` per turn of the event loop, and writes to each, in one write, every
 * burst it has not had yet. A burst that arrives mid-sweep does not wait for the sweep to end:
 * the sweep goes on from where it is for one more full lap, so clients it has not reached get
 * both bursts together and the ones it has reached get the new one. Every burst reaches every
 * client within one lap of its arrival, in order, once. A lap that carries a halt-all is made
 * in one piece as soon as the code that published it returns (a microtask), ahead of the turns
 * other work has queued (export pages, flag placements): the stop everyone waits for waits for
 * none of them.
 */
export function createStreamHub(
  bus: EventBus,
  clock: Clock,
  options: { clientsPerTurn?: number } = {},
) {
  const clientsPerTurn = options.clientsPerTurn ?? CLIENTS_PER_TURN;
  const clients = new Set<StreamClient>();
  /** Frames published in this turn, not yet sealed into a burst. */
  let gathering: string[] = [];
  /** The frames gathered hold a halt-all. */
  let gatheringHaltAll = false;
  /**
   * The lap under way carries a halt-all: it goes to every client in one turn rather than
   * `clientsPerTurn` a turn, since under load each turn between also serves other requests'
   * slices and ten of them would delay the stop everyone waits for by ten such turns.
   */
  let urgent = false;
  /** Bursts some client still needs; bursts[i] has sequence number base + i. */
  let bursts: Buffer[] = [];
  let base = 0;
  /** Bytes of every burst from a sequence number to the newest, for the clients that share it. */
  const joined = new Map<number, Buffer>();
  let sweep: Iterator<StreamClient> = clients.values();
  /** Clients the sweep still has to visit before every client is sure to be current. */
  let toVisit = 0;
  let scheduled = false;
  /** A microtask will make the halt-all's lap. */
  let urgentQueued = false;

  const head = () => base + bursts.length;

  /** Ends a stream; a client that stopped reading is cut off at once, with what it left unread. */
  const drop = (client: StreamClient, how: 'end' | 'cut' = 'end') => {
    clients.delete(client);
    if (client.socket.destroyed) return;
    if (how === 'cut') client.socket.destroy();
    else client.socket.end();
  };

  const seal = () => {
    if (gathering.length === 0) return;
    bursts.push(Buffer.from(gathering.join('')));
    gathering = [];
    if (gatheringHaltAll) urgent = true;
    gatheringHaltAll = false;
    joined.clear();
    toVisit = clients.size;
  };

  const bytesFrom = (from: number): Buffer => {
    let bytes = joined.get(from);
    if (!bytes) {
      const missing = bursts.slice(from - base);
      bytes = missing.length === 1 && missing[0] ? missing[0] : Buffer.concat(missing);
      joined.set(from, bytes);
    }
    return bytes;
  };

  const bringUpToDate = (client: StreamClient) => {
    if (client.next === head()) return;
    // It has not read the last 8 MB: ending would wait for it forever. It resumes with Last-Event-ID.
    if (client.socket.writableLength > MAX_BUFFERED_BYTES) return drop(client, 'cut');
    client.socket.write(bytesFrom(client.next));
    client.next = head();
  };

  /**
   * Lets go of the bursts every client has been sent: at the end of each lap, and at each wrap
   * of the circle (when bursts come faster than laps).
   */
  const forgetSent = () => {
    let oldest = head();
    for (const client of clients) oldest = Math.min(oldest, client.next);
    if (oldest === base) return;
    bursts = bursts.slice(oldest - base);
    base = oldest;
    joined.clear();
  };

  const nextClient = (): StreamClient | undefined => {
    let step = sweep.next();
    if (step.done) {
      forgetSent();
      sweep = clients.values();
      step = sweep.next();
    }
    return step.done ? undefined : step.value;
  };

  /** Writes to the next clients of the lap: all of them when it carries a halt-all. */
  const sweepOn = () => {
    seal();
    const limit = urgent ? Number.POSITIVE_INFINITY : clientsPerTurn;
    for (let written = 0; toVisit > 0 && written < limit; written++) {
      const client = nextClient();
      if (!client) {
        toVisit = 0;
        break;
      }
      bringUpToDate(client);
      toVisit--;
    }
    // One lap since the newest burst: every client has everything, so every burst goes.
    if (toVisit > 0) schedule();
    else {
      urgent = false;
      forgetSent();
    }
  };

  const turn = () => {
    scheduled = false;
    sweepOn();
  };

  function schedule() {
    if (scheduled) return;
    scheduled = true;
    // After the current I/O callbacks: the request that caused the burst gets its answer first.
    setImmediate(turn);
  }

  /**
   * After the code publishing the halt-all (its other events, in the same burst) and before the
   * event loop runs anything else; the request that pressed it is answered right after.
   */
  const sendHaltAllNow = () => {
    if (urgentQueued) return;
    urgentQueued = true;
    queueMicrotask(() => {
      urgentQueued = false;
      // A turn already queued stays queued (and finds less to do): `scheduled` is its own.
      sweepOn();
    });
  };

  const publish = (frame: string, haltAll = false) => {
    gathering.push(frame);
    if (haltAll) {
      gatheringHaltAll = true;
      sendHaltAllNow();
    } else schedule();
  };

  const unsubscribe = bus.subscribe((record) =>
    publish(record.frame, record.event.type === 'halt-all'),
  );
  const stopPing = clock.every(PING_INTERVAL_MS, () => publish(': ping\n\n'));

  return {
    /** Adds a client after `replay` is written, so it misses nothing and gets nothing twice. */
    add(socket: Socket, replay: string): () => void {
      // The replay already holds every event published so far, sealed or not.
      seal();
      if (replay) socket.write(replay);
      const client: StreamClient = { socket, next: head() };
      clients.add(client);
      // A lap under way may now pass this client (it joins the circle's end) before it comes
      // round to the ones it has not reached: one more visit keeps the lap a full circle.
      if (toVisit > 0) toVisit++;
      return () => drop(client);
    },
    count: () => clients.size,
    /** Bursts held for clients that have not been sent them yet: two laps' worth at most. */
    backlog: () => bursts.length,
    close() {
      seal();
      for (const client of [...clients]) {
        bringUpToDate(client);
        drop(client);
      }
      toVisit = 0;
      urgent = false;
      unsubscribe();
      stopPing();
    },
  };
}
