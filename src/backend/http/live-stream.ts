import { streamEventSchema, type StreamEvent } from '@/domain/api';
import type { ConnectionChange, ConnectionState, LiveStream } from '../capabilities/live-stream';
import { BackendError, isBackendError } from '../errors';
import { SseParser } from './sse-parser';

interface LiveStreamOptions {
  /** Opens the event stream, resuming after `lastEventId` when there is one. Throws BackendError. */
  open: (lastEventId: string | null, signal: AbortSignal) => Promise<Response>;
  onEvent: (event: StreamEvent) => void;
  onConnection: (change: ConnectionChange) => void;
  /** An event that fails its schema is skipped and reported here. */
  onInvalidEvent?: (error: Error) => void;
  /** Delay before attempt `failures + 1` (ms). */
  backoffMs?: (failures: number) => number;
  /** Silence longer than this means the connection is dead (the server pings every 15 s). */
  idleTimeoutMs?: number;
}

/** The HTTP stream also tells (tests) where it would resume. */
export interface ResumableStream extends LiveStream {
  lastEventId(): string | null;
}

/** After this many failed attempts in a row the dashboard calls itself offline. */
const OFFLINE_AFTER_FAILURES = 3;

function defaultBackoffMs(failures: number): number {
  return Math.min(500 * 2 ** Math.max(0, failures - 1), 10_000);
}

/**
 * Keeps one event stream open: reads it, parses each event with the domain schema, and when
 * it drops reconnects with backoff, resuming from the last event id it saw.
 */
export function startLiveStream(options: LiveStreamOptions): ResumableStream {
  const backoff = options.backoffMs ?? defaultBackoffMs;
  const idleTimeoutMs = options.idleTimeoutMs ?? 40_000;
  let closed = false;
  let lastEventId: string | null = null;
  let controller: AbortController | null = null;
  let wake: (() => void) | null = null;

  const report = (state: ConnectionState, failures: number, error: BackendError | null = null) =>
    options.onConnection({ state, failures, error });

  function handle(data: string, id: string | null): void {
    let event: StreamEvent;
    try {
      event = streamEventSchema.parse(JSON.parse(data));
    } catch (error) {
      options.onInvalidEvent?.(error instanceof Error ? error : new Error(String(error)));
      if (id !== null) lastEventId = id;
      return;
    }
    if (id !== null) lastEventId = id;
    options.onEvent(event);
  }

  async function read(response: Response, abort: AbortController): Promise<void> {
    if (!response.body) throw new BackendError('bad-response', 'the stream has no body');
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    const parser = new SseParser((message) => handle(message.data, message.id));
    // Not every fetch ends the body when its request is aborted: cancel the reader too.
    abort.signal.addEventListener('abort', () => void reader.cancel().catch(() => {}), {
      once: true,
    });
    const giveUp = () => abort.abort();
    let idle = setTimeout(giveUp, idleTimeoutMs);
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        clearTimeout(idle);
        idle = setTimeout(giveUp, idleTimeoutMs);
        parser.feed(decoder.decode(value, { stream: true }));
      }
    } finally {
      clearTimeout(idle);
      reader.releaseLock?.();
    }
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(finish, ms);
      function finish() {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = finish;
    });
  }

  async function run(): Promise<void> {
    let failures = 0;
    report('connecting', 0);
    while (!closed) {
      const abort = new AbortController();
      controller = abort;
      let error: BackendError | null = null;
      try {
        const response = await options.open(lastEventId, abort.signal);
        if (closed) return;
        failures = 0;
        report('live', 0);
        await read(response, abort);
      } catch (caught) {
        if (closed) return;
        error = isBackendError(caught)
          ? caught
          : new BackendError('unavailable', String(caught), { code: 'network_error' });
        // A token the server does not know will not start working by retrying.
        if (error.kind === 'unauthorised' || error.kind === 'forbidden') {
          closed = true;
          report('closed', failures + 1, error);
          return;
        }
      }
      if (closed) return;
      failures++;
      report(failures >= OFFLINE_AFTER_FAILURES ? 'offline' : 'reconnecting', failures, error);
      await sleep(backoff(failures));
    }
  }

  void run();

  return {
    close() {
      if (closed) return;
      closed = true;
      controller?.abort();
      wake?.();
      report('closed', 0);
    },
    lastEventId: () => lastEventId,
  };
}
