import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  /** The raw body, as signed. */
  body: string;
}

/** What the receiver does with the n-th request (0-based): answer a status, or hold it open. */
type Respond = (n: number, request: ReceivedRequest) => number | 'hold';

export interface WebhookReceiver {
  url: string;
  received: ReceivedRequest[];
  /** Requests it has not answered yet. */
  holding(): number;
  /** Answers every held request with `status`. */
  release(status?: number): void;
  /** Resolves once `count` requests have come in (bounded: rejects after `limitMs`). */
  waitFor(count: number, limitMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** A real HTTP receiver on 127.0.0.1, on a port of its own. */
export async function startReceiver(respond: Respond = () => 200): Promise<WebhookReceiver> {
  const received: ReceivedRequest[] = [];
  const held = new Set<ServerResponse>();
  const waiters: { count: number; done: () => void }[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const entry = { headers: request.headers, body: Buffer.concat(chunks).toString('utf8') };
      const n = received.length;
      received.push(entry);
      const answer = respond(n, entry);
      if (answer === 'hold') held.add(response);
      else response.writeHead(answer).end();
      for (const waiter of waiters.filter((w) => received.length >= w.count)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.done();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    holding: () => held.size,
    release(status = 200) {
      for (const response of held) response.writeHead(status).end();
      held.clear();
    },
    waitFor(count, limitMs = 10_000) {
      if (received.length >= count) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`${received.length} of ${count} requests came in`)),
          limitMs,
        );
        waiters.push({
          count,
          done: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    async close() {
      for (const response of held) response.destroy();
      held.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A loopback port nothing listens on (bound, then closed): connecting is refused. */
export async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/hook`;
}
