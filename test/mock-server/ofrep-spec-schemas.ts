/**
 * OFREP's response bodies as JSON Schema (2020-12), written from the protocol's OpenAPI document
 * (open-feature/protocol, service/openapi.yaml, version 0.3.0) and its ADR-0008 on event streams.
 *
 * Two places say what the document means rather than what its `oneOf`s say literally:
 * - A success's value: the document lists boolean, string, integer, float, object and "code
 *   default" (no value) under `oneOf`. Read literally nothing passes: the code-default branch
 *   has no constraints, so every object matches it as well as its value's branch, and every
 *   integer is also a float. Here: `value` is absent, or one of those types.
 * - Every object is closed (`additionalProperties: false`), which the document does not ask:
 *   it checks that we send no field the protocol does not name.
 */

const metadata = {
  type: 'object',
  additionalProperties: { oneOf: [{ type: 'boolean' }, { type: 'string' }, { type: 'number' }] },
} as const;

const errorDetails = { type: 'string' } as const;

export const evaluationSuccess = {
  type: 'object',
  required: ['key', 'reason'],
  additionalProperties: false,
  properties: {
    key: { type: 'string' },
    reason: { enum: ['STATIC', 'TARGETING_MATCH', 'SPLIT', 'DISABLED', 'UNKNOWN'] },
    variant: { type: 'string' },
    metadata,
    value: {
      anyOf: [
        { type: 'boolean' },
        { type: 'string' },
        { type: 'integer' },
        { type: 'number' },
        { type: 'object' },
      ],
    },
  },
} as const;

export const evaluationFailure = {
  type: 'object',
  required: ['key', 'errorCode'],
  additionalProperties: false,
  properties: {
    key: { type: 'string' },
    errorCode: { enum: ['PARSE_ERROR', 'TARGETING_KEY_MISSING', 'INVALID_CONTEXT', 'GENERAL'] },
    errorDetails,
    metadata,
  },
} as const;

export const flagNotFound = {
  type: 'object',
  required: ['key', 'errorCode'],
  additionalProperties: false,
  properties: {
    key: { type: 'string' },
    errorCode: { const: 'FLAG_NOT_FOUND' },
    errorDetails,
    metadata,
  },
} as const;

const eventStream = {
  type: 'object',
  required: ['type'],
  additionalProperties: false,
  // Exactly one of url and endpoint.
  oneOf: [
    { required: ['url'], not: { required: ['endpoint'] } },
    { required: ['endpoint'], not: { required: ['url'] } },
  ],
  properties: {
    type: { type: 'string' },
    url: { type: 'string' },
    endpoint: {
      type: 'object',
      required: ['requestUri'],
      additionalProperties: false,
      properties: {
        origin: { type: 'string' },
        requestUri: { type: 'string', pattern: '^/' },
      },
    },
    inactivityDelaySec: { type: 'integer', minimum: 1 },
  },
} as const;

export const bulkEvaluationSuccess = {
  type: 'object',
  required: ['flags'],
  additionalProperties: false,
  properties: {
    flags: { type: 'array', items: { oneOf: [evaluationSuccess, evaluationFailure] } },
    metadata,
    eventStreams: { type: 'array', items: eventStream },
  },
} as const;

export const bulkEvaluationFailure = {
  type: 'object',
  required: ['errorCode'],
  additionalProperties: false,
  properties: { errorCode: { type: 'string' }, errorDetails },
} as const;

/** The JSON in an event's `data:` line. */
export const sseEventData = {
  type: 'object',
  required: ['type'],
  additionalProperties: false,
  properties: {
    type: { type: 'string' },
    etag: { type: 'string' },
    lastModified: {
      oneOf: [{ type: 'integer', minimum: 0 }, { type: 'string' }],
    },
  },
} as const;
