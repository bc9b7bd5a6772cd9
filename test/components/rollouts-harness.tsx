import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { appRoutes } from '@/app/router';
import { createHttpBackend, type FetchFunction } from '@/backend/http/http-backend';
import { BackendProvider } from '@/lib/backend-context';
import { tokenStorage } from '@/lib/token-storage';
import { testServer, type TestServer } from '../mock-server/test-server';

export interface RolloutsServer {
  server: TestServer;
  fetch: FetchFunction;
  /**
   * Holds every request whose path matches until the returned function is called, so a test
   * can see what the page shows while a request is in flight.
   */
  hold(pattern: RegExp): () => void;
}

/**
 * The real server in-process (SQLite in memory, a clock that moves only when told to),
 * answered through the real HTTP adapter. The event stream answers an open body that ends
 * when the adapter lets go of it: an in-process request cannot stay open.
 */
export async function startRolloutsServer(): Promise<RolloutsServer> {
  const server = await testServer();
  const held: { pattern: RegExp; gate: Promise<void> }[] = [];
  const fetch: FetchFunction = async (input, init = {}) => {
    if (input.startsWith('/api/v1/stream')) {
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          init.signal?.addEventListener('abort', () => controller.close(), { once: true });
        },
      });
      return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
    }
    const url = new URL(input, 'http://127.0.0.1');
    for (const h of held) if (h.pattern.test(url.pathname)) await h.gate;
    const answer = await server.app.inject({
      method: (init.method ?? 'GET') as 'GET',
      url: `${url.pathname}${url.search}`,
      headers: Object.fromEntries(new Headers(init.headers).entries()),
      payload: typeof init.body === 'string' ? init.body : undefined,
    });
    return new Response(answer.statusCode === 204 ? null : answer.body, {
      status: answer.statusCode,
      headers: { 'content-type': String(answer.headers['content-type'] ?? 'application/json') },
    });
  };
  return {
    server,
    fetch,
    hold(pattern) {
      let release = () => {};
      const entry = { pattern, gate: new Promise<void>((resolve) => (release = resolve)) };
      held.push(entry);
      return () => {
        held.splice(held.indexOf(entry), 1);
        release();
      };
    },
  };
}

/** The whole app (header, menu, routes) signed in as `user`, opened at `path`. */
export async function renderAppAs(rollouts: RolloutsServer, user: string, path: string) {
  const token = await rollouts.server.tokenFor(user);
  tokenStorage.set(token, false);
  const backend = createHttpBackend({ fetch: rollouts.fetch, baseUrl: '', getToken: () => token });
  const queryClient = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  });
  const router = createMemoryRouter(appRoutes(backend), { initialEntries: [path] });
  const result = render(
    <BackendProvider backend={backend}>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </BackendProvider>,
  );
  return { ...result, router, queryClient };
}
