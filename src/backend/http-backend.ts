import type { z } from 'zod';
import { apiErrorSchema } from '@/domain/api';
import { fieldIssues, type FieldIssue } from '@/domain/validation';
import { ApiError, CLIENT_ERROR_CODES } from './api-error';
import type { AuditApi } from './audit-http';
import type { Backend } from './backend';
import { experimentsHttp } from './experiments-http';
import type { FlagsApi } from './flags-api';
import { fleetHttp } from './fleet-http';
import type { GamedaysApi } from './gamedays-http';
import { sessionHttp } from './session-http';
import type { StatusApi } from './status-http';
import { streamHttp } from './stream-http';

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

export interface HttpRequest {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** Overrides the client's timeout (ms); null: wait as long as it takes. */
  timeoutMs?: number | null;
  headers?: Record<string, string>;
}

/** What the per-resource parts build on: the only code that calls fetch. */
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
        throw new ApiError(
          CLIENT_ERROR_CODES.timeout,
          `no answer from ${path} within ${timeout} ms`,
          0,
        );
      }
      if (request.signal?.aborted) throw error;
      throw new ApiError(
        CLIENT_ERROR_CODES.network,
        `${method} ${path} failed: ${String(error)}`,
        0,
      );
    }
    if (!response.ok) throw await errorFrom(response);
    return response;
  }

  return {
    async json(method, path, schema, request = {}) {
      const response = await send(method, path, request);
      let body: unknown;
      try {
        body = await response.json();
      } catch {
        throw new ApiError(
          CLIENT_ERROR_CODES.badResponse,
          `${path} did not answer JSON`,
          response.status,
        );
      }
      const parsed = schema.safeParse(body);
      if (!parsed.success) {
        const issues = fieldIssues(parsed.error);
        const first = issues[0];
        const where = first ? `${first.path || 'body'}: ${first.message}` : 'unexpected shape';
        throw new ApiError(
          CLIENT_ERROR_CODES.badResponse,
          `${path}: ${where}`,
          response.status,
          body,
          issues,
        );
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

/** Maps an error answer to ApiError, whether or not it carries the API's error body. */
async function errorFrom(response: Response): Promise<ApiError> {
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
    return new ApiError(`http_${response.status}`, message, response.status);
  }
  const { code, message, details } = parsed.data.error;
  return new ApiError(code, message, response.status, details, issuesOf(details));
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

type AsyncMethods<T> = { [K in keyof T]: (...args: never[]) => Promise<unknown> };

/**
 * A resource part whose code (schemas included) loads after the page has drawn (when the
 * browser is idle, or on its first call if that comes sooner): it is not part of any
 * page's first load. `methods` names every method: the type makes the
 * compiler insist on the full list. Every method of a lazy part returns a promise.
 */
function lazyPart<T extends AsyncMethods<T>>(
  load: () => Promise<T>,
  methods: Record<keyof T, true>,
): T {
  let loading: Promise<T> | null = null;
  const ensure = () =>
    (loading ??= load().catch((error: unknown) => {
      loading = null;
      throw new ApiError(
        CLIENT_ERROR_CODES.network,
        `could not load the dashboard's code: ${String(error)}`,
        0,
      );
    }));
  // Once the page is idle, fetch the code anyway: the first call then finds it ready.
  if (typeof requestIdleCallback === 'function')
    requestIdleCallback(() => void ensure().catch(() => {}));
  const part: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const name of Object.keys(methods)) {
    part[name] = async (...args) => {
      const loaded = (await ensure()) as unknown as Record<
        string,
        (...a: unknown[]) => Promise<unknown>
      >;
      const method = loaded[name];
      if (!method) throw new Error(`no method ${name}`);
      return method(...args);
    };
  }
  return part as unknown as T;
}

/** The Backend over the mock server's HTTP API (docs/api.md). */
export function createHttpBackend(options: HttpBackendOptions): Backend {
  const client = createHttpClient(options);
  return {
    // What every signed-in page needs, loaded with the app.
    ...sessionHttp(client),
    ...fleetHttp(client),
    ...experimentsHttp(client),
    ...streamHttp(client),
    // The rest loads when a page first asks for it.
    ...lazyPart<GamedaysApi>(() => import('./gamedays-http').then((m) => m.gamedaysHttp(client)), {
      listGamedays: true,
      getGameday: true,
      createGameday: true,
      updateGameday: true,
      deleteGameday: true,
      tickRunbookStep: true,
      addGamedayNote: true,
      gamedayTimeline: true,
      writeFindings: true,
      gamedayReport: true,
    }),
    ...lazyPart<StatusApi>(() => import('./status-http').then((m) => m.statusHttp(client)), {
      status: true,
      statusSettings: true,
      updateStatusSettings: true,
      listIncidents: true,
      addIncidentUpdate: true,
      resolveIncident: true,
    }),
    ...lazyPart<AuditApi>(() => import('./audit-http').then((m) => m.auditHttp(client)), {
      auditLog: true,
      exportAuditCsv: true,
    }),
    ...lazyPart<FlagsApi>(() => import('./flags-http').then((m) => m.flagsHttp(client)), {
      listFlags: true,
      getFlag: true,
      createFlag: true,
      updateFlag: true,
      deleteFlag: true,
      killFlag: true,
      enableFlag: true,
      flagHistory: true,
      listSegments: true,
      createSegment: true,
      updateSegment: true,
      deleteSegment: true,
      exportFlags: true,
      importFlags: true,
      flagCohort: true,
      ofrepKeys: true,
      rotateOfrepKey: true,
    }),
  };
}
