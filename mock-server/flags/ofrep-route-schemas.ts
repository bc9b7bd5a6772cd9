import type { FastifyBodyParser, FastifySchemaCompiler } from 'fastify';
import { z } from 'zod';
import { apiErrorSchema } from '../../src/domain';
import {
  ofrepBulkFailureSchema,
  ofrepBulkSchema,
  ofrepEvaluationRequestSchema,
  ofrepFailureSchema,
  ofrepGeneralErrorSchema,
  ofrepSuccessSchema,
} from '../../src/domain/flags';
import { keyParams } from '../route-schemas';

/** A request OFREP answers 400 with its own error codes, not the API's error contract. */
export class OfrepRequestError extends Error {
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
export const readJsonBody: FastifyBodyParser<string | Buffer> = (_request, raw, done) => {
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
export const ofrepValidatorCompiler: FastifySchemaCompiler<z.ZodType> =
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

/** A single evaluation: `POST /ofrep/v1/evaluate/flags/:key`. */
export const singleSchema = {
  params: keyParams,
  headers: keyHeaders,
  body: ofrepEvaluationRequestSchema,
  response: {
    200: ofrepSuccessSchema,
    ...failures,
    404: ofrepFailureSchema.describe('FLAG_NOT_FOUND'),
  },
};

/** A bulk evaluation: `POST /ofrep/v1/evaluate/flags`. */
export const bulkSchema = {
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

/** The event stream a bulk answer names. */
export const eventStreamSchema = {
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
