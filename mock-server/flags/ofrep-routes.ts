import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Environment } from '../../src/domain';
import {
  OFREP_ERROR_STATUS,
  ofrepEvaluationRequestSchema,
  ofrepReasonOf,
  type EvaluationContext,
  type OfrepBulk,
} from '../../src/domain/flags';
import type { Evaluation, Evaluator } from './evaluator';
import type { FlagServiceChaos } from './flag-service-chaos';
import {
  OFREP_EVENT_STREAM_PATH,
  OFREP_INACTIVITY_DELAY_SEC,
  type OfrepEvents,
} from './ofrep-events';
import type { OfrepKeys } from './ofrep-keys';

/** On every OFREP answer: any origin may read it, ETag included. */
const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'ETag',
};

/** On a preflight only. */
const PREFLIGHT_HEADERS = {
  'access-control-allow-methods': 'POST, GET, OPTIONS',
  'access-control-allow-headers': 'Content-Type, Authorization, X-API-Key, If-None-Match',
  // Browsers may reuse a preflight answer for 10 minutes (s).
  'access-control-max-age': '600',
};

type Failure = { status: number; code: 'PARSE_ERROR' | 'INVALID_CONTEXT'; details: string };

const NO_CONTEXT: Failure = {
  status: 400,
  code: 'INVALID_CONTEXT',
  details: 'the request has no context: send { "context": { … } }',
};

/**
 * Reads an OFREP request body with the domain's schema. Bad JSON, or a body that is no JSON
 * object, is OFREP's PARSE_ERROR; a missing or malformed context its INVALID_CONTEXT, naming
 * the field.
 */
function readContext(raw: unknown): EvaluationContext | Failure {
  let body: unknown;
  if (typeof raw === 'string' && raw.trim() !== '') {
    try {
      body = JSON.parse(raw);
    } catch {
      return { status: 400, code: 'PARSE_ERROR', details: 'the request body is not valid JSON' };
    }
  }
  if (body === undefined) return NO_CONTEXT;
  const parsed = ofrepEvaluationRequestSchema.safeParse(body);
  if (parsed.success) return parsed.data.context;
  const issue = parsed.error.issues[0];
  if (!issue || issue.path.length === 0) {
    return {
      status: 400,
      code: 'PARSE_ERROR',
      details: 'the request body must be a JSON object: { "context": { … } }',
    };
  }
  if ((body as { context?: unknown }).context === undefined) return NO_CONTEXT;
  return {
    status: 400,
    code: 'INVALID_CONTEXT',
    details: `${issue.path.join('.')}: ${issue.message}`,
  };
}

const isFailure = (value: EvaluationContext | Failure): value is Failure =>
  typeof (value as Failure).code === 'string' && typeof (value as Failure).status === 'number';

function asOfrep(evaluation: Evaluation) {
  if (evaluation.ok) {
    const { ok: _ok, hasRules, reason, ...success } = evaluation;
    return { ...success, reason: ofrepReasonOf(reason, hasRules) };
  }
  const { key, errorCode, errorDetails } = evaluation;
  return { key, errorCode, errorDetails };
}

/**
 * The faults an experiment put on this environment's OFREP endpoint, done to one request: held
 * for the added latency, then answered 503 in an outage, 500 for its share of errors or 429 for
 * its share of rate limiting.
 * Answers whether the request was answered here (the evaluation must then not run).
 */
async function disturb(
  chaos: FlagServiceChaos,
  environment: Environment,
  reply: FastifyReply,
  key: string | undefined,
): Promise<boolean> {
  const found = chaos.disturbance(environment);
  if (!found) return false;
  if (found.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, found.latencyMs));
  const failure = (status: number, what: string) => {
    // OFREP's answer for a rate limit: its providers wait out Retry-After (s) before asking again.
    if (status === 429) void reply.header('retry-after', '1');
    void reply.status(status).send({
      ...(key === undefined ? {} : { key }),
      errorCode: 'GENERAL',
      errorDetails: `${what} in ${environment} by experiment ${found.experimentIds.join(', ')}`,
    });
    return true;
  };
  if (found.outage) return failure(503, 'the flag service is down (an injected outage)');
  if (chaos.failsNow(found)) return failure(500, 'an error injected into the flag service');
  if (chaos.limitedNow(found)) return failure(429, 'a rate limit injected into the flag service');
  return false;
}

/**
 * The OpenFeature Remote Evaluation Protocol: single and bulk evaluation, with CORS for
 * browser apps and an API key per environment (X-API-Key, or Authorization: Bearer). With
 * `chaos`, an experiment's faults on one environment's endpoint apply to that environment's
 * evaluations only, and every answer is measured for the flag service's own metrics.
 */
export async function ofrepRoutes(
  app: FastifyInstance,
  evaluator: Evaluator,
  keys: OfrepKeys,
  /** Counts a request with a missing or unknown key; throws a 429 past the limit. */
  keyFailed: (request: FastifyRequest, reply: FastifyReply) => Promise<void>,
  events: OfrepEvents,
  chaos?: FlagServiceChaos,
): Promise<void> {
  app.addHook('preClose', async () => events.close());
  /** The environment each evaluation was asked in, for its measurement once answered. */
  const asked = new WeakMap<FastifyRequest, Environment>();
  await app.register(async (scope) => {
    // The body is read here, not by Fastify, so that bad JSON gets OFREP's PARSE_ERROR.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) =>
      done(null, body),
    );
    scope.addHook('onRequest', (_request, reply, done) => {
      reply.headers(CORS_HEADERS);
      done();
    });
    scope.addHook('onResponse', (request, reply, done) => {
      const environment = asked.get(request);
      if (chaos && environment) chaos.record(environment, reply.statusCode, reply.elapsedTime);
      done();
    });

    /** The key's environment; a missing or unknown key is answered here (401, 403, or 429). */
    async function environmentOf(
      request: FastifyRequest,
      reply: FastifyReply,
    ): Promise<Environment | null> {
      const header = request.headers['x-api-key'];
      const bearer = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1];
      const key = (Array.isArray(header) ? header[0] : header) ?? bearer;
      if (!key) {
        await keyFailed(request, reply);
        void reply.status(401).send({
          errorDetails: 'send the environment API key in X-API-Key or Authorization: Bearer',
        });
        return null;
      }
      const environment = keys.environmentFor(key.trim());
      if (!environment) {
        await keyFailed(request, reply);
        void reply.status(403).send({ errorDetails: 'unknown API key' });
      } else asked.set(request, environment);
      return environment;
    }

    const preflight = async (_request: FastifyRequest, reply: FastifyReply) =>
      reply.status(204).headers(PREFLIGHT_HEADERS).send();
    scope.options('/ofrep/v1/evaluate/flags', preflight);
    scope.options('/ofrep/v1/evaluate/flags/:key', preflight);

    scope.post<{ Params: { key: string } }>(
      '/ofrep/v1/evaluate/flags/:key',
      async (request, reply) => {
        const environment = await environmentOf(request, reply);
        if (!environment) return reply;
        const { key } = request.params;
        if (chaos && (await disturb(chaos, environment, reply, key))) return reply;
        const context = readContext(request.body);
        if (isFailure(context))
          return reply
            .status(context.status)
            .send({ key, errorCode: context.code, errorDetails: context.details });
        const evaluation = evaluator.evaluate(environment, key, context);
        const status = evaluation.ok ? 200 : OFREP_ERROR_STATUS[evaluation.errorCode];
        return reply.status(status).send(asOfrep(evaluation));
      },
    );

    scope.post('/ofrep/v1/evaluate/flags', async (request, reply) => {
      const environment = await environmentOf(request, reply);
      if (!environment) return reply;
      if (chaos && (await disturb(chaos, environment, reply, undefined))) return reply;
      const context = readContext(request.body);
      if (isFailure(context))
        return reply
          .status(context.status)
          .send({ errorCode: context.code, errorDetails: context.details });
      // flagConfigEtag / flagConfigLastModified (sent on a re-fetch an event caused) need no
      // handling: a change is evaluated from the moment it commits, before its event is sent.
      const answer: OfrepBulk = {
        flags: evaluator.evaluateAll(environment, context).map(asOfrep),
        metadata: { environment, ...evaluator.flagSetMetadata(environment) },
        eventStreams: [
          {
            type: 'sse',
            endpoint: { requestUri: events.requestUriFor(environment) },
            inactivityDelaySec: OFREP_INACTIVITY_DELAY_SEC,
          },
        ],
      };
      const payload = JSON.stringify(answer);
      const etag = `"${createHash('sha1').update(environment).update(payload).digest('base64url')}"`;
      reply.header('etag', etag);
      const asked = request.headers['if-none-match'];
      if (asked && asked.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag))
        return reply.status(304).send();
      return reply.status(200).type('application/json').send(payload);
    });

    scope.get<{ Querystring: { channel?: string } }>(
      OFREP_EVENT_STREAM_PATH,
      async (request, reply) => {
        const environment = events.environmentOf(request.query.channel ?? '');
        if (!environment) {
          await keyFailed(request, reply);
          return reply
            .status(403)
            .send({ errorDetails: 'unknown channel: take the event stream a bulk answer names' });
        }
        const lastEventId = request.headers['last-event-id'];
        reply.hijack();
        events.add(request.raw.socket, typeof lastEventId === 'string' ? lastEventId : undefined);
      },
    );

    scope.get('/ofrep/v1/configuration', async () => ({
      name: 'Faultline',
      capabilities: {
        cacheInvalidation: { polling: { enabled: true, minPollingIntervalMs: 1000 } },
        flagEvaluation: { supportedTypes: ['boolean', 'string', 'int', 'float', 'object'] },
      },
    }));
  });
}
