import type { StreamEvent } from '@/domain/api';
import type { BackendError } from '../errors';

/**
 * connecting: first attempt; live: events flow; reconnecting: lost, trying again;
 * offline: several attempts failed (still trying); closed: stopped on purpose or for good.
 */
export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'offline' | 'closed';

export interface ConnectionChange {
  state: ConnectionState;
  /** Consecutive failed attempts so far. */
  failures: number;
  error: BackendError | null;
}

export interface StreamHandlers {
  onEvent: (event: StreamEvent) => void;
  onConnection: (change: ConnectionChange) => void;
}

export interface LiveStream {
  close(): void;
}

/**
 * Metric samples and domain events as they happen. The backend resumes where a dropped
 * connection stopped (how is its own business); when it cannot, it sends a `reset`.
 */
export interface LiveStreamCapability {
  /** Keeps the live stream open (reconnecting as needed) until `close()`. */
  openStream(handlers: StreamHandlers): LiveStream;
}
