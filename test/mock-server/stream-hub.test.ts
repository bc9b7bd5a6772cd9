import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createEventBus, type EventBus } from '../../mock-server/bus';
import { ManualClock } from '../../mock-server/clock';
import { createStreamHub, PING_INTERVAL_MS } from '../../mock-server/routes/stream-hub';
import type { StreamEvent } from '../../src/domain';

/** A pair of loopback sockets: the hub writes on `server`, the test reads what `client` gets. */
interface Pair {
  server: net.Socket;
  client: net.Socket;
  text: () => string;
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function socketPairs(count: number): Promise<Pair[]> {
  const listener = net.createServer();
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const address = listener.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  const accepted: net.Socket[] = [];
  const allAccepted = new Promise<void>((resolve) =>
    listener.on('connection', (socket) => {
      accepted.push(socket);
      if (accepted.length === count) resolve();
    }),
  );
  const clients = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<net.Socket>((resolve) => {
          const socket = net.connect(address.port, '127.0.0.1', () => resolve(socket));
        }),
    ),
  );
  await allAccepted;
  // Accepted sockets arrive in connection order on loopback, but match them up by port to be sure.
  const byPort = new Map(accepted.map((s) => [s.remotePort, s]));
  const pairs = clients.map((client) => {
    const server = byPort.get(client.localPort);
    if (!server) throw new Error('unmatched socket');
    let received = '';
    client.setEncoding('utf8');
    client.on('data', (chunk: string) => (received += chunk));
    return { server, client, text: () => received };
  });
  cleanups.push(() => {
    for (const pair of pairs) {
      pair.client.destroy();
      pair.server.destroy();
    }
    listener.close();
  });
  return pairs;
}

const ids = (text: string) => [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
const turnOfTheLoop = () => new Promise((resolve) => setImmediate(resolve));
const metrics = (t: number): StreamEvent => ({ type: 'metrics', t, samples: [] });

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function hubWith(clientsPerTurn: number) {
  const clock = new ManualClock();
  const bus: EventBus = createEventBus(clock);
  const hub = createStreamHub(bus, clock, { clientsPerTurn });
  cleanups.push(() => hub.close());
  return { clock, bus, hub };
}

describe('the stream hub', () => {
  it('writes a burst to a few clients per turn of the event loop, so requests are read in between', async () => {
    const pairs = await socketPairs(7);
    const { bus, hub } = hubWith(3);
    for (const pair of pairs) hub.add(pair.server, '');
    const before = pairs.map((p) => p.server.bytesWritten);
    const reached = () => pairs.filter((p, i) => p.server.bytesWritten > (before[i] ?? 0)).length;

    bus.publish(metrics(1));
    bus.publish(metrics(2));
    expect(reached()).toBe(0);
    await turnOfTheLoop();
    expect(reached()).toBe(3);
    await turnOfTheLoop();
    expect(reached()).toBe(6);
    await turnOfTheLoop();
    expect(reached()).toBe(7);

    await until(
      () => pairs.every((p) => ids(p.text()).length === 2),
      'both events at every client',
    );
    for (const pair of pairs) expect(ids(pair.text())).toEqual([1, 2]);
  });

  it('sends a burst that arrives mid-sweep to every client within one more lap: in order, each event once', async () => {
    const pairs = await socketPairs(7);
    const { bus, hub } = hubWith(2);
    for (const pair of pairs) hub.add(pair.server, '');

    bus.publish(metrics(1));
    await turnOfTheLoop(); // clients 1–2 have event 1
    await turnOfTheLoop(); // clients 3–4 have event 1
    bus.publish(metrics(2));
    await turnOfTheLoop(); // clients 5–6 get events 1 and 2 in one write
    await turnOfTheLoop(); // client 7 gets 1 and 2; the lap goes on to client 1 with 2
    const written = pairs.map((p) => p.server.bytesWritten);
    bus.publish(metrics(3));

    await until(
      () => pairs.every((p) => ids(p.text()).length === 3),
      'three events at every client',
    );
    for (const pair of pairs) expect(ids(pair.text())).toEqual([1, 2, 3]);
    // The lap went on from client 5 after the halt-all arrived: clients 5–7 and 1 had both
    // events by then, clients 2–4 only the first.
    const [first, second] = (bus.since(0) ?? []).map((record) => Buffer.byteLength(record.frame));
    const both = (first ?? 0) + (second ?? 0);
    expect(written).toEqual([both, first, first, first, both, both, both]);
  });

  it('writes a burst holding a halt-all to every client before the loop turns, then goes back to a few per turn', async () => {
    const pairs = await socketPairs(7);
    const { bus, hub } = hubWith(2);
    for (const pair of pairs) hub.add(pair.server, '');
    const reachedSince = (before: number[]) =>
      pairs.filter((p, i) => p.server.bytesWritten > (before[i] ?? 0)).length;

    let before = pairs.map((p) => p.server.bytesWritten);
    // A turn other work queued before the halt-all (an export page, a slice of placements).
    const seenByEarlierTurn = new Promise<number>((resolve) =>
      setImmediate(() => resolve(reachedSince(before))),
    );
    bus.publish(metrics(1));
    bus.publish({ type: 'halt-all', by: 'sam-sre', halted: ['exp-1'] });
    // Events the same code publishes after it still join its burst.
    expect(reachedSince(before)).toBe(0);
    await Promise.resolve();
    expect(reachedSince(before)).toBe(7);
    expect(await seenByEarlierTurn).toBe(7);

    before = pairs.map((p) => p.server.bytesWritten);
    bus.publish(metrics(3));
    await turnOfTheLoop();
    expect(reachedSince(before)).toBe(2);

    await until(
      () => pairs.every((p) => ids(p.text()).length === 3),
      'three events at every client',
    );
    for (const pair of pairs) {
      expect(ids(pair.text())).toEqual([1, 2, 3]);
      expect(pair.text()).toContain('"type":"halt-all"');
    }
  });

  it('holds at most two laps of bursts when they come faster than a lap, and still sends each client every one', async () => {
    const pairs = await socketPairs(6);
    const { bus, hub } = hubWith(1); // a lap takes six turns
    for (const pair of pairs) hub.add(pair.server, '');
    let mostHeld = 0;
    for (let t = 1; t <= 60; t++) {
      bus.publish(metrics(t)); // a burst every turn
      await turnOfTheLoop();
      mostHeld = Math.max(mostHeld, hub.backlog());
    }
    // Let go of at each lap's end: never more than two laps' worth (here 12), not all 60.
    expect(mostHeld).toBeLessThanOrEqual(12);

    await until(
      () => pairs.every((p) => ids(p.text()).length === 60),
      'sixty events at every client',
    );
    for (const pair of pairs)
      expect(ids(pair.text())).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    await until(() => hub.backlog() === 0, 'an empty backlog once every client has everything');
  });

  it('cuts off a client that stops reading once 8 MB wait for it, and goes on serving', async () => {
    const [stuck, later] = await socketPairs(2);
    if (!stuck || !later) throw new Error('no pairs');
    const { bus, hub } = hubWith(10);
    hub.add(stuck.server, '');
    stuck.client.pause();
    const closed = new Promise((resolve) => stuck.server.once('close', resolve));

    // 1 MB a burst: the stuck client's kernel buffers fill, then its socket's own buffer passes 8 MB.
    const big = 'x'.repeat(1024 * 1024);
    for (let t = 1; t <= 60 && hub.count() === 1; t++) {
      bus.publish({ type: 'resource', resource: big, change: 'filler' });
      await turnOfTheLoop();
    }
    await closed;
    expect(stuck.server.destroyed).toBe(true);
    expect(hub.count()).toBe(0);

    hub.add(later.server, '');
    bus.publish(metrics(1));
    await until(
      () => later.text().includes('"type":"metrics"'),
      'a client added afterwards served',
    );
  });

  it('gives a client added mid-sweep only what comes after its replay', async () => {
    const pairs = await socketPairs(5);
    const { bus, hub } = hubWith(2);
    const [late, ...early] = pairs;
    if (!late) throw new Error('no pairs');
    for (const pair of early) hub.add(pair.server, '');

    bus.publish(metrics(1));
    await turnOfTheLoop();
    bus.publish(metrics(2)); // published, not yet written to anyone
    const replay = (bus.since(0) ?? []).map((record) => record.frame).join('');
    hub.add(late.server, replay);
    bus.publish(metrics(3));

    await until(
      () => pairs.every((p) => ids(p.text()).length === 3),
      'three events at every client',
    );
    for (const pair of pairs) expect(ids(pair.text())).toEqual([1, 2, 3]);
  });

  it('still reaches every client when one joins while a lap is under way', async () => {
    const [a, b, c, late] = await socketPairs(4);
    if (!a || !b || !c || !late) throw new Error('no pairs');
    const { bus, hub } = hubWith(1);
    for (const pair of [a, b, c]) hub.add(pair.server, '');

    // Leave the sweep part-way round the circle: event 1 reaches a; event 2 arrives, and the
    // lap goes b, c, a.
    bus.publish(metrics(1));
    await turnOfTheLoop();
    bus.publish(metrics(2));
    for (let i = 0; i < 3; i++) await turnOfTheLoop();
    // Event 3 starts a lap at b; a client joins behind c before the lap has come round to a.
    bus.publish(metrics(3));
    await turnOfTheLoop();
    hub.add(late.server, '');

    // Nothing else is published: the lap alone must bring event 3 to a.
    await until(
      () => [a, b, c].every((p) => ids(p.text()).length === 3),
      'three events at the first three clients',
    );
    for (const pair of [a, b, c]) expect(ids(pair.text())).toEqual([1, 2, 3]);
    bus.publish(metrics(4));
    await until(
      () => ids(late.text()).length === 1,
      'the event after it joined at the late client',
    );
    expect(ids(late.text())).toEqual([4]);
  });

  it('pings every client, and on close writes out what is pending before ending each stream', async () => {
    const pairs = await socketPairs(4);
    const { clock, bus, hub } = hubWith(1);
    for (const pair of pairs) hub.add(pair.server, '');
    clock.advance(PING_INTERVAL_MS);
    await until(
      () => pairs.every((p) => p.text().includes(': ping\n\n')),
      'a ping at every client',
    );

    bus.publish(metrics(1));
    hub.close();
    const ended = pairs.map((p) => new Promise((resolve) => p.client.once('end', resolve)));
    await Promise.all(ended);
    for (const pair of pairs) expect(ids(pair.text())).toEqual([1]);
    expect(hub.count()).toBe(0);
  });
});
