import { streamEventSchema, type StreamEvent } from '@/domain/api';
import { ApiError, CLIENT_ERROR_CODES, isApiError } from './api-error';
import { SseParser } from './sse-parser';

/**
 * connecting: first attempt; live: events flow; reconnecting: lost, trying again;
 * offline: several attempts failed (still trying); closed: stopped on purpose or for good.
 */
export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'offline' | 'closed';

export interface ConnectionChange {
  state: ConnectionState;
  /** Consecutive failed attempts so far. */
  failures: number;
  error: ApiError | null;
}

export interface LiveStreamOptions {
  /** Opens the event stream, resuming after `lastEventId` when there is one. Throws ApiError. */
  open: (lastEventId: string | null, signal: AbortSignal) => Promise<Response>;
  onEvent: (event: StreamEvent, id: string | null) => void;
  onConnection: (change: ConnectionChange) => void;
  /** An event that fails its schema is skipped and reported here. */
  onInvalidEvent?: (error: Error) => void;
  /** Delay before attempt `failures + 1` (ms). */
  backoffMs?: (failures: number) => number;
  /** Silence longer than this means the connection is dead (the server pings every 15 s). */
  idleTimeoutMs?: number;
}

export interface LiveStream {
  close(): void;
  lastEventId(): string | null;
}

/** After this many failed attempts in a row the dashboard calls itself offline. */
export const OFFLINE_AFTER_FAILURES = 3;

export function defaultBackoffMs(failures: number): number {
  return Math.min(500 * 2 ** Math.max(0, failures - 1), 10_000);
}

/**
 * Keeps one event stream open: reads it, parses each event with the domain schema, and when
 * it drops reconnects with backoff, resuming from the last event id it saw.
 */
export function startLiveStream(options: LiveStreamOptions): LiveStream {
  const backoff = options.backoffMs ?? defaultBackoffMs;
  const idleTimeoutMs = options.idleTimeoutMs ?? 40_000;
  let closed = false;
  let lastEventId: string | null = null;
  let controller: AbortController | null = null;
  let wake: (() => void) | null = null;

  const report = (state: ConnectionState, failures: number, error: ApiError | null = null) =>
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
    options.onEvent(event, id);
  }

  async function read(response: Response, abort: AbortController): Promise<void> {
    if (!response.body)
      throw new ApiError(CLIENT_ERROR_CODES.badResponse, 'the stream has no body', response.status);
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
      let error: ApiError | null = null;
      try {
        const response = await options.open(lastEventId, abort.signal);
        if (closed) return;
        failures = 0;
        report('live', 0);
        await read(response, abort);
      } catch (caught) {
        if (closed) return;
        error = isApiError(caught)
          ? caught
          : new ApiError(CLIENT_ERROR_CODES.network, String(caught), 0);
        // A token the server does not know will not start working by retrying.
        if (error.status === 401 || error.status === 403) {
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
