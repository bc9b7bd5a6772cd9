import type { FetchFunction } from '@/backend/http/http-backend';

interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Headers;
  body: unknown;
  signal: AbortSignal | undefined;
}

export type FakeHandler = (request: FakeRequest) => Response | Promise<Response>;

interface FakeFetch {
  fetch: FetchFunction;
  /** Every request made, in order. */
  calls: FakeRequest[];
}

export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

export function apiError(
  status: number,
  code: string,
  message: string,
  details?: unknown,
): Response {
  return json(status, { error: { code, message, ...(details === undefined ? {} : { details }) } });
}

/**
 * A fetch function answering from a table: "POST /api/v1/halt-all" → a handler, or a list
 * of handlers used one after another (the last one repeats). A handler may throw, as
 * fetch does when the network is down. Unknown routes answer 404.
 */
export function fakeFetch(routes: Record<string, FakeHandler | FakeHandler[]>): FakeFetch {
  const calls: FakeRequest[] = [];
  const used = new Map<string, number>();
  const fetch: FetchFunction = async (input, init = {}) => {
    const url = new URL(input, 'http://127.0.0.1');
    const method = init.method ?? 'GET';
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    const request: FakeRequest = {
      method,
      path: url.pathname,
      query: url.searchParams,
      headers: new Headers(init.headers),
      body,
      signal: init.signal ?? undefined,
    };
    calls.push(request);
    const key = `${method} ${url.pathname}`;
    const route = routes[key];
    if (!route) return apiError(404, 'not_found', `no route ${key}`);
    const handlers = Array.isArray(route) ? route : [route];
    const index = used.get(key) ?? 0;
    used.set(key, index + 1);
    const handler = handlers[Math.min(index, handlers.length - 1)];
    if (!handler) throw new Error(`no handler for ${key}`);
    return handler(request);
  };
  return { fetch, calls };
}

export const networkDown: FakeHandler = () => {
  throw new TypeError('fetch failed');
};
