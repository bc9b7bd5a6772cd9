import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, waitFor, type RenderResult } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { expect } from 'vitest';
import { BackendProvider, capability } from '@/lib/backend-context';
import { createHttpBackend, type FetchFunction } from '@/backend/http/http-backend';
import { queryKeys } from '@/backend/query-keys';
import type { Flag } from '@/domain/flags';
import { FlagPage } from '@/features/flags/flag-page';
import { FlagsPage } from '@/features/flags/flags-page';
import { buildApp, type FaultlineApp } from '../../mock-server/app';
import { ManualClock } from '../../mock-server/clock';

export interface FlagsServer {
  faultline: FaultlineApp;
  fetch: FetchFunction;
  token(user: string): Promise<string>;
  /** A call to the API as another person would make it (another tab, another user). */
  api(
    method: string,
    url: string,
    user: string,
    body?: unknown,
  ): Promise<{ status: number; json: () => unknown }>;
  flag(key: string): Promise<Flag>;
  /** Evaluates a flag over OFREP in an environment, as an application would. */
  evaluate(
    environment: string,
    key: string,
    context: Record<string, string>,
  ): Promise<{ value?: unknown; variant?: string; reason?: string; errorCode?: string }>;
  close(): Promise<void>;
}

/** The real server app in-process (SQLite in memory), answered through the real HTTP adapter. */
export async function startFlagsServer(): Promise<FlagsServer> {
  const faultline = await buildApp({
    database: ':memory:',
    clock: new ManualClock(Date.UTC(2025, 0, 6, 9)),
    ticking: false,
    sampleData: false,
  });
  const fetch: FetchFunction = async (input, init = {}) => {
    const url = new URL(input, 'http://127.0.0.1');
    const headers = Object.fromEntries(new Headers(init.headers).entries());
    const answer = await faultline.app.inject({
      method: (init.method ?? 'GET') as 'GET',
      url: `${url.pathname}${url.search}`,
      headers,
      payload: typeof init.body === 'string' ? init.body : undefined,
    });
    return new Response(answer.statusCode === 204 ? null : answer.body, {
      status: answer.statusCode,
      headers: { 'content-type': String(answer.headers['content-type'] ?? 'application/json') },
    });
  };
  const tokens = new Map<string, string>();
  const ofrepKeys = new Map<string, string>();
  const token = async (user: string) => {
    if (!tokens.has(user))
      tokens.set(
        user,
        (
          (
            await faultline.app.inject({
              method: 'POST',
              url: '/api/v1/session',
              payload: { user },
            })
          ).json() as { token: string }
        ).token,
      );
    return tokens.get(user) as string;
  };
  const api: FlagsServer['api'] = async (method, url, user, body) => {
    const answer = await faultline.app.inject({
      method: method as 'GET',
      url,
      headers: { authorization: `Bearer ${await token(user)}` },
      ...(body === undefined ? {} : { payload: body as object }),
    });
    return { status: answer.statusCode, json: () => answer.json() };
  };
  return {
    faultline,
    fetch,
    token,
    api,
    flag: async (key) => (await api('GET', `/api/v1/flags/${key}`, 'vic-viewer')).json() as Flag,
    async evaluate(environment, key, context) {
      // A key is shown only in the answer that makes it: one per environment, made on first use.
      let apiKey = ofrepKeys.get(environment);
      if (!apiKey) {
        const made = await api('POST', `/api/v1/ofrep-keys/${environment}/rotate`, 'ada-admin', {});
        apiKey = (made.json() as { key: string }).key;
        ofrepKeys.set(environment, apiKey);
      }
      const answer = await faultline.app.inject({
        method: 'POST',
        url: `/ofrep/v1/evaluate/flags/${key}`,
        headers: { 'x-api-key': apiKey, 'content-type': 'application/json' },
        payload: JSON.stringify({ context }),
      });
      return answer.json();
    },
    close: () => faultline.app.close(),
  };
}

interface RenderedFlags extends RenderResult {
  router: ReturnType<typeof createMemoryRouter>;
  queryClient: QueryClient;
}

/** The flag pages in a data router, signed in as `user`. */
export async function renderFlags(
  server: FlagsServer,
  user: string,
  path: string,
): Promise<RenderedFlags> {
  const token = await server.token(user);
  const backend = createHttpBackend({ fetch: server.fetch, baseUrl: '', getToken: () => token });
  const queryClient = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  });
  const router = createMemoryRouter(
    [
      { path: '/flags', Component: FlagsPage },
      { path: '/flags/:key', Component: FlagPage },
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
  await queryClient.fetchQuery({
    queryKey: queryKeys.me,
    queryFn: () => capability(backend, 'identity').me(),
  });
  await waitFor(() => expect(queryClient.getQueryState(queryKeys.me)?.status).toBe('success'));
  return { ...result, router, queryClient };
}
