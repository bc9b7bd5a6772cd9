/**
 * The halt-all and OFREP benchmarks' stream clients, in a process of their own (as browsers
 * would be), so that reading 1 000 streams does not slow the server's event loop.
 * Plain JavaScript: a worker thread cannot load TypeScript by itself.
 */
import net from 'node:net';
import { parentPort, workerData } from './worker-port.mjs';
const { url, token, clients: total, marker } = workerData;
const { hostname, port, pathname, search } = new URL(url);
const host = hostname.replace(/^\[|\]$/g, '');
const needle = Buffer.from(marker);
const counts = new Array(total).fill(0);
const sockets = [];
let target = 0;
let behind = 0;

function seen(index) {
  counts[index]++;
  if (counts[index] === target && --behind === 0) {
    parentPort.postMessage({
      type: 'all-received',
      run: target,
      at: performance.timeOrigin + performance.now(),
    });
  }
}

/** One read buffer for every socket: each read is scanned at once, before the next. */
const readBuffer = Buffer.alloc(64 * 1024);

/**
 * One stream client on a plain socket: the GET written by hand, then every read scanned for the
 * marker (ASCII, so nothing is decoded) straight from a shared buffer (`onread`: no stream, no
 * allocation per read). A browser tab parses its own stream in its own process; here 1 000
 * clients share one thread, so each must cost as little as possible.
 */
function connect(index) {
  return new Promise((resolve, reject) => {
    let head = '';
    let headDone = false;
    // The end of the previous read that could be the start of a marker cut in two.
    let tail = Buffer.alloc(0);
    const scan = (bytes) => {
      let from = 0;
      for (let at = bytes.indexOf(needle); at >= 0; at = bytes.indexOf(needle, from)) {
        from = at + needle.length;
        seen(index);
      }
      tail = Buffer.from(bytes.subarray(Math.max(from, bytes.length - needle.length + 1)));
    };
    const onHead = (bytes) => {
      head += bytes.toString('latin1');
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      if (!head.startsWith('HTTP/1.1 200'))
        return reject(new Error('stream answered ' + head.slice(0, head.indexOf('\r\n'))));
      headDone = true;
      scan(Buffer.from(head.slice(end + 4), 'latin1'));
      resolve();
    };
    const socket = net.connect({
      host,
      port: Number(port),
      onread: {
        buffer: readBuffer,
        callback(length, buffer) {
          const read = buffer.subarray(0, length);
          if (!headDone) onHead(read);
          else scan(tail.length > 0 ? Buffer.concat([tail, read]) : read);
        },
      },
    });
    socket.on('error', reject);
    socket.write(
      'GET ' +
        pathname +
        search +
        ' HTTP/1.1\r\nhost: ' +
        hostname +
        ':' +
        port +
        '\r\nauthorization: Bearer ' +
        token +
        '\r\naccept: text/event-stream\r\n\r\n',
    );
    sockets.push(socket);
  });
}

parentPort.on('message', async (message) => {
  if (message.type === 'connect') {
    try {
      // In bounded batches, each reported, so a slow machine shows progress rather than a stall.
      for (let i = 0; i < total; i += 100) {
        await Promise.all(
          Array.from({ length: Math.min(100, total - i) }, (_, k) => connect(i + k)),
        );
        parentPort.postMessage({ type: 'progress', connected: Math.min(total, i + 100) });
      }
      parentPort.postMessage({ type: 'connected' });
    } catch (error) {
      parentPort.postMessage({ type: 'error', message: String(error) });
    }
  } else if (message.type === 'expect') {
    target = message.run;
    behind = counts.filter((c) => c < target).length;
    parentPort.postMessage({ type: 'ready' });
  } else if (message.type === 'close') {
    for (const socket of sockets) socket.destroy();
    parentPort.postMessage({ type: 'closed' });
  }
});
