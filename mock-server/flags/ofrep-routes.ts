import { createHash } from 'node:crypto';
import type {
  FastifyBodyParser,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifySchemaCompiler,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiErrorSchema, type Environment } from '../../src/domain';
import {
  OFREP_ERROR_STATUS,
  ofrepBulkFailureSchema,
  ofrepBulkSchema,
  ofrepConfigurationSchema,
  ofrepEvaluationRequestSchema,
  ofrepFailureSchema,
  ofrepGeneralErrorSchema,
  ofrepReasonOf,
  ofrepSuccessSchema,
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

/** A request OFREP answers 400 with its own error codes, not the API's error contract. */
class OfrepRequestError extends Error {
  readonly statusCode = 400;
  constructor(
    readonly errorCode: 'PARSE_ERROR' | 'INVALID_CONTEXT',
    readonly errorDetails: string,
  ) {
    super(errorDetails);
    this.name = 'OfrepRequestError';
  }
}

const noContext = () =>
  new OfrepRequestError('INVALID_CONTEXT', 'the request has no context: send { "context": { … } }');

/**
 * Bodies are read as JSON whatever their content type (a browser app may send text/plain to
 * spare a preflight). Bad JSON is OFREP's PARSE_ERROR; no body at all is left to the schema.
 */
const readJsonBody: FastifyBodyParser<string | Buffer> = (_request, raw, done) => {
  const text = typeof raw === 'string' ? raw : raw.toString('utf8');
  if (text.trim() === '') return done(null, undefined);
  try {
    return done(null, JSON.parse(text) as unknown);
  } catch {
    return done(new OfrepRequestError('PARSE_ERROR', 'the request body is not valid JSON'));
  }
};

/**
 * Requests are checked with the route's schemas (the domain's), and a bad one answered as OFREP
 * says: a body that is no JSON object is PARSE_ERROR; a missing or malformed context is
 * INVALID_CONTEXT, naming the field.
 */
const ofrepValidatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema, httpPart }) =>
  (value) => {
    if (httpPart === 'body' && (value === null || value === undefined))
      return { error: noContext() };
    const parsed = schema.safeParse(value);
    if (parsed.success) return { value: parsed.data };
    const issue = parsed.error.issues[0];
    const field = issue?.path.map(String).join('.') ?? '';
    if (httpPart !== 'body')
      return { error: new OfrepRequestError('PARSE_ERROR', `${field}: ${issue?.message ?? ''}`) };
    if (!issue || issue.path.length === 0)
      return {
        error: new OfrepRequestError(
          'PARSE_ERROR',
          'the request body must be a JSON object: { "context": { … } }',
        ),
      };
    if (typeof value === 'object' && value !== null && !('context' in value))
      return { error: noContext() };
    return { error: new OfrepRequestError('INVALID_CONTEXT', `${field}: ${issue.message}`) };
  };

/** The environment API key, in X-API-Key or as a bearer token. */
const keyHeaders = z.looseObject({
  'x-api-key': z.string().optional().describe("The environment's OFREP API key"),
  authorization: z.string().optional().describe('Bearer <the environment API key>, instead'),
});

/** What a single evaluation answers besides its success (the body's error, a fault, a limit). */
const failures = {
  400: ofrepFailureSchema.describe('PARSE_ERROR or INVALID_CONTEXT (OFREP evaluationFailure)'),
  401: ofrepGeneralErrorSchema.describe('No API key'),
  403: ofrepGeneralErrorSchema.describe('An unknown API key'),
  413: apiErrorSchema,
  429: apiErrorSchema.describe('Too many requests with a wrong key'),
  500: ofrepFailureSchema.describe('GENERAL: an error injected by an experiment'),
  503: ofrepFailureSchema.describe('GENERAL: an outage injected by an experiment'),
};

const singleSchema = {
  params: keyParams,
  headers: keyHeaders,
  body: ofrepEvaluationRequestSchema,
  response: {
    200: ofrepSuccessSchema,
    ...failures,
    404: ofrepFailureSchema.describe('FLAG_NOT_FOUND'),
  },
};

const bulkSchema = {
  headers: keyHeaders.extend({
    'if-none-match': z.string().optional().describe('The ETag of the last answer'),
  }),
  body: ofrepEvaluationRequestSchema,
  response: {
    200: ofrepBulkSchema,
    304: z.undefined().describe('Not modified: the ETag still matches'),
    ...failures,
    400: ofrepBulkFailureSchema.describe('PARSE_ERROR or INVALID_CONTEXT'),
    500: ofrepBulkFailureSchema.describe('GENERAL: an error injected by an experiment'),
    503: ofrepBulkFailureSchema.describe('GENERAL: an outage injected by an experiment'),
  },
};

const eventStreamSchema = {
  querystring: z.object({
    channel: z.string().optional().describe('The channel a bulk answer names'),
  }),
  headers: z.looseObject({ 'last-event-id': z.string().optional() }),
  response: {
    200: {
      content: {
        'text/event-stream': {
          schema: z
            .string()
            .describe('Server-sent events; the data of each is an OfrepStreamEvent'),
        },
      },
    },
    400: ofrepBulkFailureSchema,
    403: ofrepGeneralErrorSchema.describe('An unknown channel'),
    429: apiErrorSchema,
  },
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
 * for the added latency, then answered 503 in an outage or 500 for its share of errors. Runs
 * before the body is read: a request answered here goes no further.
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
  const failure = (status: number, what: string) =>
    void reply.status(status).send({
      ...(key === undefined ? {} : { key }),
      errorCode: 'GENERAL',
      errorDetails: `${what} in ${environment} by experiment ${found.experimentIds.join(', ')}`,
    });
  if (found.outage) failure(503, 'the flag service is down (an injected outage)');
  else if (chaos.failsNow(found)) failure(500, 'an error injected into the flag service');
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
