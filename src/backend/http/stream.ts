import type { LiveStreamCapability } from '../capabilities/live-stream';
import type { HttpClient } from './client';
import { startLiveStream } from './live-stream';

/**
 * The stream is read with fetch, so the bearer token travels in the Authorization header
 * (an EventSource could only carry it in the URL) and Last-Event-ID in its own header.
 */
export function streamHttp(client: HttpClient): LiveStreamCapability {
  return {
    openStream: (handlers) =>
      startLiveStream({
        open: (lastEventId, signal) =>
          client.open('/api/v1/stream', {
            signal,
            headers: {
              accept: 'text/event-stream',
              ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
            },
          }),
        onEvent: handlers.onEvent,
        onConnection: handlers.onConnection,
      }),
  };
}
