import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bulkEvaluationFailure,
  bulkEvaluationSuccess,
  evaluationFailure,
  evaluationSuccess,
  flagNotFound,
} from './ofrep-spec-schemas';
import { testServer, type TestServer } from './test-server';

// Strict, but `required` may name a property another branch defines (OFREP's url-or-endpoint rule).
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
const validators = {
  evaluationSuccess: ajv.compile(evaluationSuccess),
  evaluationFailure: ajv.compile(evaluationFailure),
  flagNotFound: ajv.compile(flagNotFound),
  bulkEvaluationSuccess: ajv.compile(bulkEvaluationSuccess),
  bulkEvaluationFailure: ajv.compile(bulkEvaluationFailure),
};

/** Passes when `body` is valid against the named schema; fails naming every violation. */
function expectValid(schema: keyof typeof validators, body: unknown): void {
  const validate = validators[schema];
  const valid = validate(body);
  expect(valid ? [] : ajv.errorsText(validate.errors).split(', '), JSON.stringify(body)).toEqual(
    [],
  );
}

/** A flag set with every value type, rules and none, a flag without a default, and metadata. */
const DOCUMENT = {
  metadata: { team: 'shop', flagSetId: 'shop-staging' },
  flags: {
    'dark-mode': {
      state: 'ENABLED',
      variants: { on: true, off: false },
      defaultVariant: 'off',
      targeting: { if: [{ ends_with: [{ var: 'email' }, '@faultline.dev'] }, 'on', null] },
      metadata: { owner: 'web' },
    },
    'banner-text': {
      state: 'ENABLED',
      variants: { plain: 'Welcome', loud: 'WELCOME!' },
      defaultVariant: 'plain',
    },
    'page-size': {
      state: 'ENABLED',
      variants: { small: 10, large: 50 },
      defaultVariant: 'small',
      targeting: {
        fractional: [
          ['small', 50],
          ['large', 50],
        ],
      },
    },
    'discount-rate': {
      state: 'ENABLED',
      variants: { none: 0, some: 0.15 },
      defaultVariant: 'some',
    },
    'checkout-layout': {
      state: 'ENABLED',
      variants: { one: { columns: 1 }, two: { columns: 2 } },
      defaultVariant: 'one',
      targeting: { if: [{ '==': [{ var: 'country' }, 'DE'] }, 'two', null] },
    },
    'code-default': {
      state: 'ENABLED',
      variants: { yes: true, no: false },
      defaultVariant: null,
      targeting: { if: [{ '==': [{ var: 'country' }, 'JP'] }, 'yes', null] },
    },
    'old-search': {
      state: 'ENABLED',
      variants: { on: true, off: false },
      defaultVariant: 'on',
    },
  },
};

const CONTEXTS = [
  { targetingKey: 'u-1', email: 'ana@faultline.dev', country: 'DE' },
  { targetingKey: 'u-2', email: 'bo@initech.example', country: 'JP' },
  { targetingKey: 'u-3', email: 'kai@globex.example', country: 'US' },
  {},
];

let server: TestServer;
let key: string;

function ofrep(path: string, payload: string) {
  return server.app.inject({
    method: 'POST',
    url: `/ofrep/v1/evaluate/flags${path}`,
    headers: { 'content-type': 'application/json', 'x-api-key': key },
    payload,
  });
}

beforeAll(async () => {
  server = await testServer();
  const imported = await server.call('POST', '/api/v1/flags/import', {
    as: 'ada-admin',
    body: { environment: 'staging', document: DOCUMENT },
  });
  expect(imported.statusCode, imported.body).toBe(200);
  const killed = await server.call('POST', '/api/v1/flags/old-search/kill', {
    body: { environment: 'staging' },
  });
  expect(killed.statusCode, killed.body).toBe(200);
  key = (
    await server.call('POST', '/api/v1/ofrep-keys/staging/rotate', { as: 'ada-admin', body: {} })
  ).json().key as string;
});
afterAll(() => server.app.close());

describe("OFREP answers against the protocol's OpenAPI document", () => {
  it('answers every single evaluation as an evaluationSuccess, reasons within its list', async () => {
    const reasons = new Set<string>();
    let codeDefaults = 0;
    for (const flagKey of Object.keys(DOCUMENT.flags))
      for (const context of CONTEXTS) {
        const response = await ofrep(`/${flagKey}`, JSON.stringify({ context }));
        expect(response.statusCode, response.body).toBe(200);
        const body = response.json() as { reason: string; value?: unknown };
        expectValid('evaluationSuccess', body);
        reasons.add(body.reason);
        if (!('value' in body)) codeDefaults++;
      }
    // The cases the document distinguishes all came up: no rules, rules, a kill, a code default.
    expect([...reasons].sort()).toEqual(['DISABLED', 'STATIC', 'TARGETING_MATCH']);
    expect(codeDefaults).toBeGreaterThan(0);
  });

  it('answers a bulk evaluation as a bulkEvaluationSuccess with the flag set’s metadata', async () => {
    for (const context of CONTEXTS) {
      const response = await ofrep('', JSON.stringify({ context }));
      expect(response.statusCode, response.body).toBe(200);
      const body = response.json();
      expectValid('bulkEvaluationSuccess', body);
      expect(body.metadata).toEqual({
        environment: 'staging',
        team: 'shop',
        flagSetId: 'shop-staging',
      });
      // Each flag's metadata: its own over the flag set's, as flagd serves it.
      expect(body.flags).toContainEqual(
        expect.objectContaining({
          key: 'dark-mode',
          metadata: expect.objectContaining({ owner: 'web', team: 'shop' }),
        }),
      );
      expect(body.flags).toContainEqual(
        expect.objectContaining({
          key: 'old-search',
          reason: 'DISABLED',
          metadata: expect.objectContaining({ team: 'shop' }),
        }),
      );
    }
  });

  it('answers an unknown flag as flagNotFound (404)', async () => {
    const response = await ofrep('/no-such-flag', '{"context": {"targetingKey": "u"}}');
    expect(response.statusCode).toBe(404);
    expectValid('flagNotFound', response.json());
  });

  it.each([
    ['no context', '{}'],
    ['a body that is not JSON', '{"context":'],
    ['a context that is not an object', '{"context": 7}'],
  ])('answers %s as evaluationFailure and bulkEvaluationFailure (400)', async (_n, payload) => {
    const single = await ofrep('/dark-mode', payload);
    expect(single.statusCode).toBe(400);
    expectValid('evaluationFailure', single.json());
    const bulk = await ofrep('', payload);
    expect(bulk.statusCode).toBe(400);
    expectValid('bulkEvaluationFailure', bulk.json());
  });

  it('rejects an answer outside the document: the schemas can fail', () => {
    const invalid = validators.evaluationSuccess({ key: 'k', value: true, reason: 'DEFAULT' });
    expect(invalid).toBe(false);
    expect(validators.bulkEvaluationSuccess({ flags: [{ key: 'k', hasRules: true }] })).toBe(false);
  });
});
