import { QueryClient } from '@tanstack/react-query';
import { act, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { resetConnection } from '@/lib/live/connection-store';
import { createHttpBackend } from '@/backend/http/http-backend';
import { resetLiveMetrics, useLiveMetrics } from '@/lib/live/live-metrics-store';
import { connectLiveUpdates } from '@/lib/live/stream-sync';
import { StaleBanner } from '@/components/stale-banner';
import { fakeFetch, networkDown } from '../backend/fake-fetch';
import { sample } from '../backend/fixtures';

/** An event stream the test writes to and breaks. */
function controllableStream() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
  const encoder = new TextEncoder();
  return {
    response: () => new Response(body, { headers: { 'content-type': 'text/event-stream' } }),
    send: (id: number, data: unknown) =>
      controller.enqueue(encoder.encode(`id: ${id}\ndata: ${JSON.stringify(data)}\n\n`)),
    drop: () => controller.error(new TypeError('network connection lost')),
  };
}

let close = () => {};
afterEach(() => {
  close();
  resetConnection();
  resetLiveMetrics();
});

describe('the stale banner', () => {
  it('appears when the stream drops, and the data received before stays', async () => {
    const stream = controllableStream();
    const { fetch } = fakeFetch({ 'GET /api/v1/stream': [stream.response, networkDown] });
    const backend = createHttpBackend({ fetch, baseUrl: '', getToken: () => 'token' });
    render(<StaleBanner />);
    close = connectLiveUpdates(backend, new QueryClient());

    const t = Date.now();
    await act(async () => {
      stream.send(1, { type: 'metrics', t, samples: [sample(t, 'all')] });
      await new Promise((resolve) => setTimeout(resolve, 20));
    });
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(useLiveMetrics.getState().newestSampleAt).toBe(t);

    await act(async () => {
      stream.drop();
      await new Promise((resolve) => setTimeout(resolve, 20));
    });
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Live updates lost: what you see is stale.',
    );
    expect(useLiveMetrics.getState().newestSampleAt).toBe(t);
  });

  it('stays away while the first connection is still being made', () => {
    render(<StaleBanner />);
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });
});
