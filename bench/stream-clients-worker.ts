/**
 * The halt-all benchmark's stream clients, in their own thread (as browsers would be in their
 * own processes), so that reading 1 000 streams does not slow the server's event loop.
 * Plain JavaScript in a template string: a worker cannot load TypeScript by itself.
 */
export const STREAM_CLIENTS_WORKER = `
const http = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
const { url, token, clients: total, marker } = workerData;
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
const counts = new Array(total).fill(0);
const requests = [];
let target = 0;
let behind = 0;

function connect(index) {
  return new Promise((resolve, reject) => {
    let tail = '';
    const request = http.get(url, { agent, headers: { authorization: 'Bearer ' + token } }, (response) => {
      if (response.statusCode !== 200) return reject(new Error('stream answered ' + response.statusCode));
      response.setEncoding('utf8');
      response.on('data', (chunk) => {
        const text = tail + chunk;
        let from = 0;
        for (let at = text.indexOf(marker); at >= 0; at = text.indexOf(marker, from)) {
          from = at + marker.length;
          counts[index]++;
          if (counts[index] === target && --behind === 0) {
            parentPort.postMessage({ type: 'all-received', run: target, at: performance.timeOrigin + performance.now() });
          }
        }
        tail = text.slice(Math.max(from, text.length - marker.length + 1));
      });
      resolve();
    });
    requests.push(request);
    request.on('error', reject);
  });
}

parentPort.on('message', async (message) => {
  if (message.type === 'connect') {
    try {
      for (let i = 0; i < total; i += 100) {
        await Promise.all(Array.from({ length: Math.min(100, total - i) }, (_, k) => connect(i + k)));
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
    for (const request of requests) request.destroy();
    agent.destroy();
    parentPort.postMessage({ type: 'closed' });
  }
});
`;
