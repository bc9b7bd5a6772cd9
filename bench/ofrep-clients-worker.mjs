/**
 * The OFREP benchmark's load: keep-alive clients in a worker thread (as applications would be
 * in their own processes), each sending one request after another for `ms`. They use plain
 * sockets and a minimal HTTP/1.1 reader (every answer carries content-length), as load
 * generators such as wrk or autocannon do, so the figure is the server's and not the client
 * library's. Answers the number of completed requests; a non-2xx status fails the run.
 * Plain JavaScript: a worker thread cannot load TypeScript by itself.
 */
import net from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
const { host, port, path, apiKey, clients, ms } = workerData;
const emails = [
  'ana@faultline.dev',
  'juan@acme.example',
  'kai@globex.example',
  'bo@initech.example',
];
const countries = ['US', 'CO', 'DE', 'JP'];
let stop = 0;

function request(i) {
  const body = JSON.stringify({
    context: {
      targetingKey: 'user-' + i,
      email: emails[i % 4],
      country: countries[i % 4],
      company: i % 7 === 0 ? 'Globex' : 'Acme',
    },
  });
  return (
    'POST ' +
    path +
    ' HTTP/1.1\r\nhost: ' +
    host +
    ':' +
    port +
    '\r\ncontent-type: application/json\r\nx-api-key: ' +
    apiKey +
    '\r\ncontent-length: ' +
    Buffer.byteLength(body) +
    '\r\n\r\n' +
    body
  );
}

/** One keep-alive connection: sends a request, reads its whole answer, sends the next. */
function connection() {
  const socket = net.connect({ host, port });
  socket.setNoDelay(true);
  let received = Buffer.alloc(0);
  let waiting = null;
  socket.on('data', (chunk) => {
    received = received.length ? Buffer.concat([received, chunk]) : chunk;
    const headEnd = received.indexOf('\r\n\r\n');
    if (headEnd < 0 || !waiting) return;
    const head = received.subarray(0, headEnd).toString('latin1');
    const length = Number(/content-length: *(\d+)/i.exec(head)?.[1] ?? 0);
    if (received.length < headEnd + 4 + length) return;
    received = received.subarray(headEnd + 4 + length);
    const done = waiting;
    waiting = null;
    done.resolve(Number(head.slice(9, 12)));
  });
  socket.on('error', (error) => waiting?.reject(error));
  return {
    send(text) {
      return new Promise((resolve, reject) => {
        waiting = { resolve, reject };
        socket.write(text);
      });
    },
    close: () => socket.destroy(),
  };
}

async function client(index, counts) {
  const conn = connection();
  let i = index * 1000003;
  try {
    while (performance.now() < stop) {
      const status = await conn.send(request(i++));
      if (status >= 300) throw new Error('OFREP answered ' + status);
      counts.done++;
    }
  } finally {
    conn.close();
  }
}
parentPort.on('message', async () => {
  const counts = { done: 0 };
  stop = performance.now() + ms;
  const started = performance.now();
  try {
    await Promise.all(Array.from({ length: clients }, (_, index) => client(index, counts)));
    parentPort.postMessage({ done: counts.done, elapsed: performance.now() - started });
  } catch (error) {
    parentPort.postMessage({ error: String(error) });
  }
});
