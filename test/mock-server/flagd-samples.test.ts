import { FlagdCore } from '@openfeature/flagd-core';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FAULTLINE_METADATA_KEYS,
  flagTypeOf,
  fromFlagdDocument,
  parseFlagdDocument,
  type Flag,
  type FlagdDocument,
  type FlagdFlag,
  type Segment,
} from '@/domain/flags';
import { createEvaluator } from '../../mock-server/flags/evaluator';
import { testServer, type TestServer } from './test-server';

/**
 * flagd's own kinds of flag file (our copies of the cases its samples and schema tests show):
 * every one imports, evaluates as flagd-core evaluates the file itself, and exports back equal.
 */
const FOLDER = new URL('../fixtures/flagd/', import.meta.url);
const samples = readdirSync(FOLDER)
  .filter((name) => name.endsWith('.json'))
  .map((name) => ({
    name,
    document: JSON.parse(readFileSync(new URL(name, FOLDER), 'utf8')) as Record<string, unknown>,
  }));

const silent = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} };
const CALLER_DEFAULTS = { boolean: true, string: 'caller', number: -1, object: { caller: true } };

/** The by-key form flagd reads a list of flags into. */
function byKey(document: Record<string, unknown>): FlagdDocument {
  const parsed = parseFlagdDocument(document);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.document;
}

/** A flag as exported, without the metadata Faultline writes for itself (unless the file had it). */
function comparable(flag: FlagdFlag | undefined, original: FlagdFlag) {
  if (!flag) return flag;
  const metadata = { ...flag.metadata };
  for (const key of FAULTLINE_METADATA_KEYS)
    if (!(original.metadata && key in original.metadata)) delete metadata[key];
  const { defaultVariant, ...rest } = { ...flag, metadata };
  return { ...rest, defaultVariant: defaultVariant ?? null };
}

const contextArb = fc.record(
  {
    targetingKey: fc.constantFrom('u-1', 'u-2', 'ana', 'bo', 'zed-42'),
    email: fc.constantFrom('ana@faultline.dev', 'bo@example.com', 'cy@globex.example', ''),
    country: fc.constantFrom('CO', 'PE', 'US', 'DE'),
    city: fc.constantFrom('Bogota', 'Lima', 'Austin'),
    company: fc.constantFrom('Globex', 'Initech', 'Faultline'),
    locale: fc.constantFrom('en-GB', 'es-CO', 'en'),
    tier: fc.constantFrom(1, '1', 2, '2', 3),
    age: fc.integer({ min: 10, max: 60 }),
    plan: fc.constantFrom('pro', 'free'),
    appVersion: fc.constantFrom('1.9.9', '2.1.0', '2.10.3'),
  },
  { requiredKeys: [] },
);

let server: TestServer;
beforeAll(async () => {
  server = await testServer();
});
afterAll(() => server.app.close());

describe.each(samples)('flagd file $name', ({ name, document }) => {
  const original = byKey(document);

  it('reads whole: every flag, its metadata and the flag set metadata', () => {
    const read = fromFlagdDocument(document);
    if (!read.ok) throw new Error(`${name}: ${JSON.stringify(read.issues)}`);
    expect(read.value.flags.map((flag) => flag.key).sort()).toEqual(
      Object.keys(original.flags).sort(),
    );
    expect(read.value.flagSetMetadata).toEqual(original.metadata ?? {});
  });

  it('imports, exports back equal, and evaluates as flagd-core does on the file', async () => {
    const imported = await server.call('POST', '/api/v1/flags/import', {
      body: { environment: 'staging', document },
    });
    expect(imported.statusCode, JSON.stringify(imported.json())).toBe(200);

    const exported = (
      await server.call('GET', '/api/v1/flags/export?environment=staging')
    ).json() as FlagdDocument;
    for (const [key, flag] of Object.entries(original.flags))
      expect(comparable(exported.flags[key], flag), key).toEqual(comparable(flag, flag));
    expect(exported.metadata ?? {}).toEqual(original.metadata ?? {});
    for (const [key, logic] of Object.entries(original.$evaluators ?? {}))
      expect(exported.$evaluators?.[key]).toEqual(logic);

    const flags = (await server.call('GET', '/api/v1/flags')).json().flags as Flag[];
    const segments = (await server.call('GET', '/api/v1/segments')).json().segments as Segment[];
    const ours = createEvaluator(() => ({ flags, segments }));
    const reference = new FlagdCore(undefined, silent);
    reference.setConfigurations(JSON.stringify(original));

    fc.assert(
      fc.property(contextArb, (context) => {
        for (const key of Object.keys(original.flags)) {
          const flag = flags.find((f) => f.key === key);
          if (!flag) throw new Error(`${key} was not stored`);
          const type = flagTypeOf(flag) ?? 'boolean';
          const theirs = reference.resolve(type, key, CALLER_DEFAULTS[type], context, silent);
          const answer = ours.evaluate('staging', key, context);
          if (!answer.ok) throw new Error(`${key}: ${answer.errorDetails}`);
          expect(answer.reason, key).toBe(theirs.reason);
          // A disabled flag answers its off variant over OFREP (providers need a value).
          if (theirs.reason === 'DISABLED') continue;
          expect(answer.variant, key).toBe(theirs.variant);
          if (theirs.variant === undefined) expect(answer.value, key).toBeUndefined();
          else expect(answer.value, key).toEqual(theirs.value);
        }
      }),
      { numRuns: 60 },
    );
  });
});
