import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, waitFor, type RenderResult } from '@testing-library/react';
import { createMemoryRouter, RouterProvider, useParams, type RouteObject } from 'react-router';
import { expect } from 'vitest';
import type { Backend } from '@/backend/backend';
import { BackendProvider } from '@/lib/backend-context';
import { createHttpBackend, type FetchFunction } from '@/backend/http/http-backend';
import { queryKeys } from '@/backend/query-keys';
import { EditExperimentPage } from '@/features/experiments/designer/edit-experiment-page';
import { NewExperimentPage } from '@/features/experiments/designer/new-experiment-page';
import { buildApp, type FaultlineApp } from '../../mock-server/app';
import { ManualClock } from '../../mock-server/clock';
import { atOnce } from '../mock-server/at-once';

export interface TestServer {
  faultline: FaultlineApp;
  clock: ManualClock;
  /** The real HTTP adapter's fetch, answered in-process by the real server app. */
  fetch: FetchFunction;
  /** Every request the browser side sent, "METHOD /path". */
  requests: string[];
  /** Moves the simulation on by `count` ticks, so metric history exists. */
  tick: (count: number) => void;
  close: () => Promise<void>;
}

/** The mock server built in-process over SQLite in memory, with a clock that moves only when told. */
export async function startTestServer(): Promise<TestServer> {
  const clock = new ManualClock(Date.now());
  const faultline = await buildApp({
    database: ':memory:',
    clock,
    ticking: false,
    sampleData: false,
  });
  const requests: string[] = [];
  const fetch: FetchFunction = async (input, init = {}) => {
    const url = new URL(input, 'http://127.0.0.1');
    const method = (init.method ?? 'GET') as 'GET';
    requests.push(`${method} ${url.pathname}`);
    const headers = Object.fromEntries(new Headers(init.headers).entries());
    const answer = await faultline.app.inject({
      method,
      url: `${url.pathname}${url.search}`,
      headers,
      payload: typeof init.body === 'string' ? init.body : undefined,
    });
    const body = answer.statusCode === 204 ? null : answer.body;
    return new Response(body, {
      status: answer.statusCode,
      headers: { 'content-type': String(answer.headers['content-type'] ?? 'application/json') },
    });
  };
  const tickMs = faultline.context.config.tickMs;
  return {
    faultline,
    clock,
    fetch,
    requests,
    tick(count) {
      for (let i = 0; i < count; i++) {
        clock.advance(tickMs);
        atOnce(faultline.engine.tick());
      }
    },
    close: () => faultline.app.close(),
  };
}

/** Creates an experiment through the API as `user`, as another tab would. */
export async function createOnServer(
  server: TestServer,
  token: string,
  spec: unknown,
): Promise<{ id: string; version: number }> {
  const answer = await server.faultline.app.inject({
    method: 'POST',
    url: '/api/v1/experiments',
    headers: { authorization: `Bearer ${token}` },
    payload: spec as object,
  });
  if (answer.statusCode !== 201) throw new Error(answer.body);
  return answer.json() as { id: string; version: number };
}

/** A demo user's bearer token, from the server's own session endpoint. */
export async function tokenFor(server: TestServer, user: string): Promise<string> {
  const answer = await server.faultline.app.inject({
    method: 'POST',
    url: '/api/v1/session',
    payload: { user },
  });
  return (answer.json() as { token: string }).token;
}

function ExperimentPageStub() {
  const { id } = useParams();
  return <p>Experiment page {id}</p>;
}

interface RenderedDesigner extends RenderResult {
  backend: Backend;
  queryClient: QueryClient;
  router: ReturnType<typeof createMemoryRouter>;
}

/** The designer's routes in a data router (it guards leaving), over the real HTTP adapter. */
export async function renderDesigner(
  server: TestServer,
  token: string,
  path = '/experiments/new',
  extraRoutes: RouteObject[] = [],
  /** Queries to wait for before the test goes on (the fleet only where the designer draws it). */
  ready: ('me' | 'fleet')[] = path.startsWith('/experiments/new') ? ['me', 'fleet'] : ['me'],
): Promise<RenderedDesigner> {
  const backend = createHttpBackend({ fetch: server.fetch, baseUrl: '', getToken: () => token });
  const queryClient = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  });
  const router = createMemoryRouter(
    [
      { path: '/experiments/new', Component: NewExperimentPage },
      { path: '/experiments/:id/edit', Component: EditExperimentPage },
      { path: '/experiments/:id', Component: ExperimentPageStub },
      { path: '/elsewhere', element: <p>Somewhere else</p> },
      ...extraRoutes,
    ],
    { initialEntries: [path] },
  );
  const result = render(
    <BackendProvider backend={backend}>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </BackendProvider>,
  );
  for (const query of ready) {
    await waitFor(() =>
      expect(queryClient.getQueryState(queryKeys[query])?.status).toBe('success'),
    );
  }
  return { ...result, backend, queryClient, router };
}
