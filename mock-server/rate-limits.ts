import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_CODES } from '../src/domain';
import { HttpError } from './errors';

/** At most `max` in any `windowMs`, per client address. */
interface RateLimit {
  max: number;
  windowMs: number;
}

export interface RateLimits {
  /** Demo sign-ins (POST /api/v1/session). */
  sessions: RateLimit;
  /** Requests with a bearer token the server does not know, on routes that need one. */
  authFailures: RateLimit;
  /** OFREP requests with a missing or unknown API key. */
  ofrepKeyFailures: RateLimit;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  sessions: { max: 30, windowMs: 60_000 },
  authFailures: { max: 20, windowMs: 60_000 },
  ofrepKeyFailures: { max: 60, windowMs: 60_000 },
};

function tooMany(what: string, retryAfterSeconds: number): HttpError {
  return new HttpError(
    429,
    ERROR_CODES.rateLimited,
    `too many ${what} from this address: try again in ${retryAfterSeconds} s`,
    { retryAfterSeconds },
  );
}

/**
 * @fastify/rate-limit with no global limit: a route opts in with `config.rateLimit`
 * (`routeLimit`), and failures are counted with `failureLimiter`. Answers are 429 in the error
 * contract with Retry-After. Nothing a signed-in user does is counted: stops are never limited.
 */
export async function installRateLimits(app: FastifyInstance): Promise<void> {
  await app.register(rateLimit, {
    global: false,
    // Addresses seen, at most: a bounded map, the oldest forgotten first.
    cache: 10_000,
    errorResponseBuilder: (request, context) =>
      tooMany(
        request.routeOptions.config.rateLimitName ?? 'requests',
        Math.ceil(context.ttl / 1000),
      ),
  });
}

/** A route's own limit on every request it gets (`what` names them in the 429's message). */
export function routeLimit(
  limit: RateLimit,
  what: string,
): { rateLimit: { max: number; timeWindow: number }; rateLimitName: string } {
  return { rateLimit: { max: limit.max, timeWindow: limit.windowMs }, rateLimitName: what };
}

/**
 * Counts one kind of failure per client address; past the limit, the failing request gets a 429
 * with Retry-After instead of its own error. Requests that succeed are never counted nor refused.
 */
export function failureLimiter(app: FastifyInstance, what: string, limit: RateLimit) {
  const check = app.createRateLimit({ max: limit.max, timeWindow: limit.windowMs });
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const state = await check(request);
    if (state.isAllowed || !state.isExceeded) return;
    void reply.header('retry-after', state.ttlInSeconds);
    throw tooMany(what, state.ttlInSeconds);
  };
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What the route's limited requests are called in a 429's message. */
    rateLimitName?: string;
  }
}
