import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Environment } from '../../src/domain';
import {
  OFREP_ERROR_STATUS,
  ofrepConfigurationSchema,
  ofrepReasonOf,
  type OfrepBulk,
  type OfrepConfiguration,
} from '../../src/domain/flags';
import { keyParams, noContent } from '../route-schemas';
import type { Evaluation, Evaluator } from './evaluator';
import type { FlagServiceChaos } from './flag-service-chaos';
import {
  OFREP_EVENT_STREAM_PATH,
  OFREP_INACTIVITY_DELAY_SEC,
  type OfrepEvents,
} from './ofrep-events';
import type { OfrepKeys } from './ofrep-keys';
import {
  bulkSchema,
  eventStreamSchema,
  OfrepRequestError,
  ofrepValidatorCompiler,
  readJsonBody,
  singleSchema,
} from './ofrep-route-schemas';

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
 * its share of rate limiting. Runs before the body is read: a request answered here goes no
 * further.
 */
async function disturb(
  chaos: FlagServiceChaos,
  environment: Environment,
  reply: FastifyReply,
  key: string | undefined,
): Promise<void> {
  const found = chaos.disturbance(environment);
  if (!found) return;
  if (found.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, found.latencyMs));
  const failure = (status: number, what: string) => {
    // OFREP's answer for a rate limit: its providers wait out Retry-After (s) before asking again.
    if (status === 429) void reply.header('retry-after', '1');
    void reply.status(status).send({
      ...(key === undefined ? {} : { key }),
      errorCode: 'GENERAL',
      errorDetails: `${what} in ${environment} by experiment ${found.experimentIds.join(', ')}`,
    });
  };
  if (found.outage) failure(503, 'the flag service is down (an injected outage)');
  else if (chaos.failsNow(found)) failure(500, 'an error injected into the flag service');
  else if (chaos.limitedNow(found)) failure(429, 'a rate limit injected into the flag service');
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
  const environmentAsked = (request: FastifyRequest): Environment => {
    const environment = asked.get(request);
    if (!environment) throw new Error('an OFREP evaluation ran without its key checked');
    return environment;
  };
  await app.register(async (plain) => {
    const scope = plain.withTypeProvider<ZodTypeProvider>();
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, readJsonBody);
    scope.setValidatorCompiler(ofrepValidatorCompiler);
    // OFREP's own 400s here; every other error (413, 429, 500) in the API's error contract.
    scope.setErrorHandler((error, request, reply) => {
      if (!(error instanceof OfrepRequestError)) throw error;
      const { key } = request.params as { key?: unknown };
      return reply.status(error.statusCode).send({
        ...(typeof key === 'string' ? { key } : {}),
        errorCode: error.errorCode,
        errorDetails: error.errorDetails,
      });
    });
    scope.addHook('onRequest', (_request, reply, done) => {
      reply.headers(CORS_HEADERS);
      done();
    });
    scope.addHook('onResponse', (request, reply, done) => {
      const environment = asked.get(request);
      if (chaos && environment) chaos.record(environment, reply.statusCode, reply.elapsedTime);
      done();
    });

    /**
     * Before the body is read: the key's environment (a missing or unknown key is answered
     * 401, 403, or 429), then the faults an experiment put on that environment's endpoint.
     */
    async function checkKey(request: FastifyRequest, reply: FastifyReply): Promise<void> {
      const header = request.headers['x-api-key'];
      const bearer = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1];
      const key = (Array.isArray(header) ? header[0] : header) ?? bearer;
      if (!key) {
        await keyFailed(request, reply);
        return void reply.status(401).send({
          errorDetails: 'send the environment API key in X-API-Key or Authorization: Bearer',
        });
      }
      const environment = keys.environmentFor(key.trim());
      if (!environment) {
        await keyFailed(request, reply);
        return void reply.status(403).send({ errorDetails: 'unknown API key' });
      }
      asked.set(request, environment);
      if (!chaos) return;
      const { key: flagKey } = request.params as { key?: string };
      await disturb(chaos, environment, reply, flagKey);
    }

    const preflight = async (_request: FastifyRequest, reply: FastifyReply) =>
      reply.status(204).headers(PREFLIGHT_HEADERS).send();
    const preflightAnswer = { 204: noContent };
    scope.options('/ofrep/v1/evaluate/flags', { schema: { response: preflightAnswer } }, preflight);
    scope.options(
      '/ofrep/v1/evaluate/flags/:key',
      { schema: { params: keyParams, response: preflightAnswer } },
      preflight,
    );

    scope.post(
      '/ofrep/v1/evaluate/flags/:key',
      { schema: singleSchema, onRequest: checkKey },
      async (request, reply) => {
        const { key } = request.params;
        const evaluation = evaluator.evaluate(environmentAsked(request), key, request.body.context);
        const status = evaluation.ok ? 200 : OFREP_ERROR_STATUS[evaluation.errorCode];
        return reply.status(status).send(asOfrep(evaluation));
      },
    );

    scope.post(
      '/ofrep/v1/evaluate/flags',
      { schema: bulkSchema, onRequest: checkKey },
      async (request, reply) => {
        const environment = environmentAsked(request);
        // flagConfigEtag / flagConfigLastModified (sent on a re-fetch an event caused) need no
        // handling: a change is evaluated from the moment it commits, before its event is sent.
        const answer: OfrepBulk = {
          flags: evaluator.evaluateAll(environment, request.body.context).map(asOfrep),
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
        const known = request.headers['if-none-match'];
        if (known && known.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag))
          return reply.status(304).send();
        // Sent as the very text the ETag was computed from, not serialised again.
        const untyped: FastifyReply = reply;
        return untyped.status(200).type('application/json').send(payload);
      },
    );

    scope.get(OFREP_EVENT_STREAM_PATH, { schema: eventStreamSchema }, async (request, reply) => {
      const environment = events.environmentOf(request.query.channel ?? '');
      if (!environment) {
        await keyFailed(request, reply);
        return reply
          .status(403)
          .send({ errorDetails: 'unknown channel: take the event stream a bulk answer names' });
      }
      reply.hijack();
      events.add(request.raw.socket, request.headers['last-event-id']);
    });

    const configuration: OfrepConfiguration = {
      name: 'Faultline',
      capabilities: {
        cacheInvalidation: { polling: { enabled: true, minPollingIntervalMs: 1000 } },
        flagEvaluation: { supportedTypes: ['boolean', 'string', 'int', 'float', 'object'] },
      },
    };
    scope.get(
      '/ofrep/v1/configuration',
      { schema: { response: { 200: ofrepConfigurationSchema } } },
      async () => configuration,
    );
  });
}
