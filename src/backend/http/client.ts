import type { z } from 'zod';
import { apiErrorSchema } from '@/domain/api-error';
import { fieldIssues, type FieldIssue } from '@/domain/validation';
import { BackendError, type BackendErrorKind } from '../errors';

export type FetchFunction = (input: string, init?: RequestInit) => Promise<Response>;

export interface HttpBackendOptions {
  fetch: FetchFunction;
  /** "" for the same origin, or "http://127.0.0.1:4400". */
  baseUrl: string;
  /** The bearer token of the person signed in, read on every request. */
  getToken: () => string | null;
  /** A request that has no answer after this long fails with `timeout` (ms). */
  timeoutMs?: number;
}

export type Query = Record<string, string | number | undefined>;

interface HttpRequest {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** Overrides the client's timeout (ms); null: wait as long as it takes. */
  timeoutMs?: number | null;
  headers?: Record<string, string>;
}

/** What the per-capability parts build on: the only code that calls fetch. */
export interface HttpClient {
  json<S extends z.ZodType>(
    method: string,
    path: string,
    schema: S,
    request?: HttpRequest,
  ): Promise<z.output<S>>;
  empty(method: string, path: string, request?: HttpRequest): Promise<void>;
  /** Opens a long-lived response (the event stream): no timeout, body left unread. */
  open(path: string, request?: HttpRequest): Promise<Response>;
}

export function createHttpClient(options: HttpBackendOptions): HttpClient {
  const timeoutMs = options.timeoutMs ?? 15_000;

  function url(path: string, query?: Query): string {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {}))
      if (value !== undefined) params.set(key, String(value));
    const search = params.toString();
    return `${options.baseUrl}${path}${search ? `?${search}` : ''}`;
  }

  async function send(method: string, path: string, request: HttpRequest): Promise<Response> {
    const timeout = request.timeoutMs === undefined ? timeoutMs : request.timeoutMs;
    const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
    const token = options.getToken();
    if (token) headers.authorization = `Bearer ${token}`;
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    const signals = [
      request.signal,
      timeout === null ? undefined : AbortSignal.timeout(timeout),
    ].filter((s): s is AbortSignal => s !== undefined);
    const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
    let response: Response;
    try {
      response = await options.fetch(url(path, request.query), {
        method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal,
      });
    } catch (error) {
      if (error instanceof Error && error.name === 'TimeoutError') {
        throw new BackendError('unavailable', `no answer from ${path} within ${timeout} ms`, {
          code: 'timeout',
        });
      }
      if (request.signal?.aborted) throw error;
      throw new BackendError('unavailable', `${method} ${path} failed: ${String(error)}`, {
        code: 'network_error',
      });
    }
    if (!response.ok) throw await errorFrom(response);
    return response;
  }

  /**
   * The body of an answer that has begun: cut off by the caller (a query no longer wanted)
   * or by the timeout is not a body that "is not JSON".
   */
  async function bodyOf(response: Response, path: string, request: HttpRequest): Promise<unknown> {
    try {
      return await response.json();
    } catch (error) {
      if (request.signal?.aborted) throw error;
      if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
        throw new BackendError('unavailable', `the answer of ${path} did not arrive in time`, {
          code: 'timeout',
        });
      throw new BackendError('bad-response', `${path} did not answer JSON`);
    }
  }

  return {
    async json(method, path, schema, request = {}) {
      const response = await send(method, path, request);
      const body = await bodyOf(response, path, request);
      const parsed = schema.safeParse(body);
      if (!parsed.success) {
        const issues = fieldIssues(parsed.error);
        const first = issues[0];
        const where = first ? `${first.path || 'body'}: ${first.message}` : 'unexpected shape';
        throw new BackendError('bad-response', `${path}: ${where}`, { details: body, issues });
      }
      return parsed.data;
    },
    async empty(method, path, request = {}) {
      await send(method, path, request);
    },
    open(path, request = {}) {
      return send('GET', path, { timeoutMs: null, ...request });
    },
  };
}

/** The kind of failure an HTTP error answer means; the API's code decides where it is precise. */
function kindOf(status: number, code: string | null): BackendErrorKind {
  switch (code) {
    case 'unauthenticated':
      return 'unauthorised';
    case 'version_conflict':
      return 'conflict';
    case 'validation_failed':
      return 'invalid';
    case 'start_refused':
    case 'invalid_state':
      return 'refused';
  }
  if (status === 401) return 'unauthorised';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  // Other 409s name a state that forbids the change ("segment_in_use"): a refusal.
  if (status === 409) return code === null ? 'conflict' : 'refused';
  if (status === 408 || status === 429 || status >= 500) return 'unavailable';
  if (status === 422) return 'refused';
  return 'invalid';
}

function reasonOf(details: unknown): string | null {
  return details &&
    typeof details === 'object' &&
    'reason' in details &&
    typeof details.reason === 'string'
    ? details.reason
    : null;
}

/** Maps an error answer to a BackendError, whether or not it carries the API's error body. */
async function errorFrom(response: Response): Promise<BackendError> {
  const text = await response.text().catch(() => '');
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  const parsed = apiErrorSchema.safeParse(body);
  if (!parsed.success) {
    const message = text.trim().slice(0, 200) || response.statusText || `HTTP ${response.status}`;
    return new BackendError(kindOf(response.status, null), message, {
      code: `http_${response.status}`,
    });
  }
  const { code, message, details } = parsed.data.error;
  return new BackendError(kindOf(response.status, code), message, {
    code,
    details,
    issues: issuesOf(details),
    reason: reasonOf(details),
  });
}

function issuesOf(details: unknown): FieldIssue[] {
  if (
    !details ||
    typeof details !== 'object' ||
    !('issues' in details) ||
    !Array.isArray(details.issues)
  )
    return [];
  return details.issues.flatMap((issue: unknown) => {
    if (!issue || typeof issue !== 'object') return [];
    const path = 'path' in issue ? issue.path : '';
    const message = 'message' in issue ? issue.message : '';
    return typeof message === 'string'
      ? [{ path: Array.isArray(path) ? path.join('.') : String(path ?? ''), message }]
      : [];
  });
}
