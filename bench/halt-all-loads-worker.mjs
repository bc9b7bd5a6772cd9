/**
 * The loads the halt-all benchmark runs next to its stream clients: a
 * viewer downloading the audit CSV again and again, an admin editing a segment that 200 flags
 * read, and ten stream readers resuming from minutes back (Last-Event-ID). In a process of its
 * own (bench/client-process.ts). Plain JavaScript, loaded without TypeScript.
 */
import http from 'node:http';
import { parentPort, workerData } from './worker-port.mjs';

const { base, viewerToken, adminToken, segmentKey, resumeFrom, readers, only } = workerData;
let running = true;
const done = { exports: 0, exportBytes: 0, segmentEdits: 0, resumes: 0, errors: 0 };
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function request(method, path, token, body, onData) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      `${base}${path}`,
      {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(payload
            ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
            : {}),
        },
      },
      (response) => {
        const chunks = [];
        response.on('data', (chunk) => (onData ? onData(chunk) : chunks.push(chunk)));
        response.on('end', () =>
          resolve({ status: response.statusCode, body: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function exporting() {
  while (running) {
    try {
      const answer = await request('GET', '/api/v1/audit/export', viewerToken, undefined, (c) => {
        done.exportBytes += c.length;
      });
      if (answer.status === 200) done.exports++;
      else done.errors++;
    } catch {
      done.errors++;
    }
  }
}

async function editingSegment() {
  for (let i = 0; running; i++) {
    try {
      const got = await request('GET', `/api/v1/segments/${segmentKey}`, adminToken);
      const segment = JSON.parse(got.body);
      const { key, name, conditions } = segment;
      const spec = { key, name, conditions };
      const put = await request('PUT', `/api/v1/segments/${segmentKey}`, adminToken, {
        spec: { ...spec, description: `bench edit ${i}` },
        version: segment.version,
      });
      if (put.status === 200) done.segmentEdits++;
      else done.errors++;
    } catch {
      done.errors++;
    }
    await pause(250);
  }
}

/** A reader that resumes from `resumeFrom`, reads for 300 ms, drops, and resumes again. */
async function resuming() {
  while (running) {
    await new Promise((resolve) => {
      const req = http.get(
        `${base}/api/v1/stream`,
        {
          headers: { authorization: `Bearer ${viewerToken}`, 'last-event-id': String(resumeFrom) },
        },
        (response) => {
          response.on('data', () => {});
          setTimeout(() => {
            req.destroy();
            done.resumes++;
            resolve();
          }, 300);
        },
      );
      req.on('error', () => resolve());
    });
  }
}

parentPort.on('message', async (message) => {
  if (message.type === 'start') {
    // `only` (['export'], ['segment']) runs some of the loads, to see which one costs what.
    const wanted = (what) => !only || only.includes('all') || only.includes(what);
    const all = [
      ...(wanted('export') ? [exporting()] : []),
      ...(wanted('segment') ? [editingSegment()] : []),
      ...Array.from({ length: readers }, resuming),
    ];
    parentPort.postMessage({ type: 'started' });
    await Promise.all(all);
    parentPort.postMessage({ type: 'stopped', done });
  } else if (message.type === 'stop') {
    running = false;
  }
});
