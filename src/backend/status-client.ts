import { statusResponseSchema, type StatusResponse } from '@/domain/status';
import { fieldIssues } from '@/domain/validation';
import { ApiError, CLIENT_ERROR_CODES } from './api-error';
import type { StatusApi } from './status-http';

export type StatusSource = Pick<StatusApi, 'status'>;

interface StatusClientOptions {
  fetch: (input: string, init?: RequestInit) => Promise<Response>;
  /** "" for the same origin. */
  baseUrl: string;
  timeoutMs?: number;
}

function errorBody(body: unknown): { code: string; message: string } | null {
  if (!body || typeof body !== 'object' || !('error' in body)) return null;
  const error = body.error;
  if (!error || typeof error !== 'object' || !('code' in error) || !('message' in error))
    return null;
  return typeof error.code === 'string' && typeof error.message === 'string'
    ? { code: error.code, message: error.message }
    : null;
}

/**
 * The public status page's own small client: one endpoint, parsed with the domain's schema.
 * The standalone status page uses it so it does not load the whole backend adapter (and
 * every resource's schemas) just to read one document.
 */
export function createStatusClient({
  fetch,
  baseUrl,
  timeoutMs = 10_000,
}: StatusClientOptions): StatusSource {
  return {
    async status(shareToken, options = {}): Promise<StatusResponse> {
      const query = shareToken ? `?token=${encodeURIComponent(shareToken)}` : '';
      const signals = [AbortSignal.timeout(timeoutMs), options.signal].filter(
        (s): s is AbortSignal => s !== undefined,
      );
      let response: Response;
      try {
        response = await fetch(`${baseUrl}/api/v1/status${query}`, {
          headers: { accept: 'application/json' },
          signal: AbortSignal.any(signals),
        });
      } catch (error) {
        if (options.signal?.aborted) throw error;
        const timedOut = error instanceof Error && error.name === 'TimeoutError';
        throw new ApiError(
          timedOut ? CLIENT_ERROR_CODES.timeout : CLIENT_ERROR_CODES.network,
          `GET /api/v1/status failed: ${String(error)}`,
          0,
        );
      }
      const body: unknown = await response.json().catch(() => null);
      if (!response.ok) {
        const known = errorBody(body);
        throw new ApiError(
          known?.code ?? `http_${response.status}`,
          known?.message ?? `HTTP ${response.status}`,
          response.status,
        );
      }
      const parsed = statusResponseSchema.safeParse(body);
      if (!parsed.success) {
        const issues = fieldIssues(parsed.error);
        throw new ApiError(
          CLIENT_ERROR_CODES.badResponse,
          `/api/v1/status: ${issues[0]?.path ?? ''} ${issues[0]?.message ?? ''}`.trim(),
          response.status,
          body,
          issues,
        );
      }
      return parsed.data;
    },
  };
}
