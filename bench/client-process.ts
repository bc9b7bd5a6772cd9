import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/**
 * Bench clients (stream readers, loads) in a process of their own, as browsers and other
 * programs would be: their garbage collection, allocator and V8 platform threads are not the
 * server's. Offers the part of worker_threads' Worker the benches use, so a client file runs as
 * either (bench/worker-port.mjs).
 */
export class ClientProcess {
  private readonly child: ChildProcess;

  constructor(file: URL, workerData: unknown) {
    this.child = fork(fileURLToPath(file), [], {
      env: { ...process.env, FAULTLINE_BENCH_WORKER_DATA: JSON.stringify(workerData) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
  }

  postMessage(message: unknown): void {
    if (this.child.connected) this.child.send(message as object);
  }

  on<M>(event: 'message', listener: (message: M) => void): this {
    this.child.on(event, listener as (message: unknown) => void);
    return this;
  }

  off<M>(event: 'message', listener: (message: M) => void): this {
    this.child.off(event, listener as (message: unknown) => void);
    return this;
  }

  /** Ends the process by its own handle: SIGTERM, then SIGKILL if it has not gone in 5 s. */
  async terminate(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGTERM');
    const gone = await Promise.race([
      exited.then(() => true),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), 5_000).unref()),
    ]);
    if (!gone) this.child.kill('SIGKILL');
  }
}

/** What the stream clients (bench/stream-clients-worker.mjs) say. */
type StreamClientsMessage =
  | { type: 'connected' | 'ready' | 'closed' }
  | { type: 'progress'; connected: number }
  | { type: 'all-received'; run: number; at: number }
  | { type: 'error'; message: string };

/**
 * Waits for the clients' next message of `type`: at most 30 s, counted again from each sign of
 * progress (a batch of clients connected), so a busy machine is slow but not a failure.
 */
export function next<T extends StreamClientsMessage['type']>(
  worker: ClientProcess,
  type: T,
): Promise<Extract<StreamClientsMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    let progress = '';
    const expire = () =>
      setTimeout(
        () => done(new Error(`no "${type}" from the stream clients within 30 s${progress}`)),
        30_000,
      );
    let timer = expire();
    const onMessage = (message: StreamClientsMessage) => {
      if (message.type === 'error') done(new Error(message.message));
      else if (message.type === type)
        done(null, message as Extract<StreamClientsMessage, { type: T }>);
      else if (message.type === 'progress') {
        progress = ` (${message.connected} connected)`;
        clearTimeout(timer);
        timer = expire();
      }
    };
    const done = (error: Error | null, value?: Extract<StreamClientsMessage, { type: T }>) => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      if (error || !value) reject(error ?? new Error('no message'));
      else resolve(value);
    };
    worker.on('message', onMessage);
  });
}
