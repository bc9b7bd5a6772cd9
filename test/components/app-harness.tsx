import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, render } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { appRoutes } from '@/app/router';
import { createHttpBackend, type FetchFunction } from '@/backend/http/http-backend';
import { BackendProvider } from '@/lib/backend-context';
import { tokenStorage } from '@/lib/token-storage';
import { testServer, type TestServer } from '../mock-server/test-server';

export interface AppServer {
  server: TestServer;
  /** The real HTTP adapter's fetch: answered in-process by the real server, stream included. */
  fetch: FetchFunction;
  /** Every request the browser side sent, "METHOD /path?query". */
  requests: string[];
  /** Every request the server has answered (before any hold on its way back), same form. */
  answered: string[];
  /**
   * Holds requests matching `pattern` ("METHOD /path?query") until the returned function is
   * called. `when` says whether the server answers before the hold (the answer is held on
   * its way back) or only after it (the request is held on its way in).
   */
  hold(pattern: RegExp, when: 'answer-held' | 'request-held'): () => void;
  /** Moves simulated time on by `seconds` and lets the browser side take in what the stream carried. */
  advance(seconds: number): Promise<void>;
  close(): Promise<void>;
}

interface Hold {
  pattern: RegExp;
  when: 'answer-held' | 'request-held';
  gate: Promise<void>;
}

/**
 * The real server in-process (SQLite in memory, a clock that moves only when told to),
 * answered through the real HTTP adapter. The event stream is the server's own bus written
 * as SSE frames: an in-process request cannot stay open, so the harness opens the body and
 * writes each published frame into it, as the stream route would.
 */
export async function startAppServer(): Promise<AppServer> {
  const server = await testServer();
  const holds: Hold[] = [];
  const requests: string[] = [];
  const answered: string[] = [];
  const encoder = new TextEncoder();

  function openStream(signal: AbortSignal | null | undefined): Response {
    let unsubscribe = () => {};
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        // A comment first, as the server's route sends, so the connection counts as live.
        controller.enqueue(encoder.encode(': connected\n\n'));
        unsubscribe = server.context.bus.subscribe((record) =>
          controller.enqueue(encoder.encode(record.frame)),
        );
        signal?.addEventListener(
          'abort',
          () => {
            unsubscribe();
            controller.close();
          },
          { once: true },
        );
      },
      cancel: () => unsubscribe(),
    });
    return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
  }

  const fetch: FetchFunction = async (input, init = {}) => {
    const url = new URL(input, 'http://127.0.0.1');
    const method = init.method ?? 'GET';
    const line = `${method} ${url.pathname}${url.search}`;
    requests.push(line);
    if (url.pathname === '/api/v1/stream') return openStream(init.signal);
    const matching = holds.filter((h) => h.pattern.test(line));
    for (const h of matching) if (h.when === 'request-held') await h.gate;
    const answer = await server.app.inject({
      method: method as 'GET',
      url: `${url.pathname}${url.search}`,
      headers: Object.fromEntries(new Headers(init.headers).entries()),
      payload: typeof init.body === 'string' ? init.body : undefined,
    });
    answered.push(line);
    for (const h of matching) if (h.when === 'answer-held') await h.gate;
    return new Response(answer.statusCode === 204 ? null : answer.body, {
      status: answer.statusCode,
      headers: { 'content-type': String(answer.headers['content-type'] ?? 'application/json') },
    });
  };

  return {
    server,
    fetch,
    requests,
    answered,
    hold(pattern, when) {
      let release = () => {};
      const gate = new Promise<void>((resolve) => (release = resolve));
      const entry: Hold = { pattern, when, gate };
      holds.push(entry);
      return () => {
        const index = holds.indexOf(entry);
        if (index >= 0) holds.splice(index, 1);
        release();
      };
    },
    async advance(seconds) {
      await act(async () => {
        server.advance(seconds);
        await new Promise((resolve) => setTimeout(resolve, 20));
      });
    },
    close: () => server.app.close(),
  };
}

/**
 * The whole app (header, menu, live stream, routes) signed in as `user` (null: nobody),
 * opened at `path`. `queryClient` defaults to one that never retries.
 */
export async function renderApp(
  app: AppServer,
  user: string | null,
  path: string,
  queryClient = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  }),
) {
  if (user) tokenStorage.set(await app.server.tokenFor(user), false);
  const backend = createHttpBackend({
    fetch: app.fetch,
    baseUrl: '',
    getToken: () => tokenStorage.get(),
  });
  const router = createMemoryRouter(appRoutes(backend), { initialEntries: [path] });
  const result = render(
    <BackendProvider backend={backend}>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </BackendProvider>,
  );
  return { ...result, router, queryClient, backend };
}
