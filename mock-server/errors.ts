import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import {
  ERROR_CODES,
  TransitionError,
  describeIssues,
  fieldIssues,
  type ApiErrorBody,
  type FieldIssue,
} from '../src/domain';
import { addSecurityHeaders } from './security-headers';

/** An error the API answers as `{ error: { code, message, details } }` with this status. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function validationFailed(issues: FieldIssue[]): HttpError {
  return new HttpError(
    400,
    ERROR_CODES.validation,
    describeIssues(issues.slice(0, 1)) || 'invalid request',
    { issues },
  );
}

export function notFound(what: string): HttpError {
  return new HttpError(404, ERROR_CODES.notFound, `${what} not found`);
}

export function versionConflict(current: unknown): HttpError {
  return new HttpError(
    409,
    ERROR_CODES.conflict,
    'this was changed by someone else: reload and try again',
    { current },
  );
}

export function invalidState(message: string, current?: unknown): HttpError {
  return new HttpError(
    409,
    ERROR_CODES.invalidState,
    message,
    current === undefined ? undefined : { current },
  );
}

export function body(code: string, message: string, details?: unknown): ApiErrorBody {
  return { error: { code, message, ...(details === undefined ? {} : { details }) } };
}

/**
 * Errors Fastify meets before any route runs (a malformed URL such as `%E0%A4%A`, a path
 * parameter past its length): the same contract as every other bad request.
 */
export function frameworkErrors(
  error: FastifyError,
  _request: FastifyRequest,
  reply: FastifyReply,
): void {
  const status = typeof error.statusCode === 'number' ? error.statusCode : 400;
  void addSecurityHeaders(reply)
    .status(status)
    .send(body('bad_request', error.message, { issues: [{ path: '', message: error.message }] }));
}

/**
 * One error handler for every route: known errors keep their status, the rest are 500s.
 * `fallback` may answer a request no route matched (the dashboard's client-side routes).
 */
export function installErrorHandler(
  app: FastifyInstance,
  fallback?: (request: FastifyRequest, reply: FastifyReply) => FastifyReply | null,
): void {
  app.setErrorHandler((error: FastifyError | Error, request, reply) => {
    if (error instanceof HttpError) {
      return reply.status(error.statusCode).send(body(error.code, error.message, error.details));
    }
    if (error instanceof ZodError) {
      const failed = validationFailed(fieldIssues(error));
      return reply.status(400).send(body(failed.code, failed.message, failed.details));
    }
    if (error instanceof TransitionError) {
      return reply.status(409).send(body(ERROR_CODES.invalidState, error.message));
    }
    const status =
      'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
    if ('code' in error && error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      const message = `the request body is larger than the ${request.routeOptions.bodyLimit ?? 1_048_576} bytes this server reads`;
      return reply
        .status(413)
        .send(body(ERROR_CODES.bodyTooLarge, message, { issues: [{ path: '', message }] }));
    }
    if (status >= 400 && status < 500) {
      // Fastify's own rejections (malformed JSON, unsupported media type, body too large).
      const issues = [{ path: '', message: error.message }];
      return reply
        .status(status)
        .send(
          body(status === 400 ? ERROR_CODES.validation : 'bad_request', error.message, { issues }),
        );
    }
    // One line per unexpected error; the request logger adds the request id (reqId).
    request.log.error(
      { err: error, method: request.method, url: request.url.split('?')[0] },
      'unexpected error',
    );
    return reply.status(500).send(body('internal', 'something went wrong on the server'));
  });
  app.setNotFoundHandler((request, reply) => {
    if (fallback?.(request, reply)) return;
    reply
      .status(404)
      .send(
        body(ERROR_CODES.notFound, `no route for ${request.method} ${request.url.split('?')[0]}`),
      );
  });
}
