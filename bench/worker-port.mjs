/**
 * The bench clients' link to the benchmark that started them: a worker thread's parentPort and
 * workerData, or the same over IPC when they run as a process of their own (bench/client-process.ts).
 * Plain JavaScript: the clients load it without TypeScript.
 */
import { parentPort as threadPort, workerData as threadData } from 'node:worker_threads';

export const parentPort = threadPort ?? {
  postMessage: (message) => process.send?.(message),
  on: (event, listener) => process.on(event, listener),
};

export const workerData = threadData ?? JSON.parse(process.env.FAULTLINE_BENCH_WORKER_DATA ?? '{}');
