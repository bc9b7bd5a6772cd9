import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FlagdDocument, Flag } from '@/domain/flags';
import { testServer, type TestServer } from './test-server';

let server: TestServer;
beforeEach(async () => {
  server = await testServer();
});
afterEach(() => server.app.close());

const exported = async (environment: string): Promise<FlagdDocument> =>
  (await server.call('GET', `/api/v1/flags/export?environment=${environment}`)).json();
const flag = async (key: string): Promise<Flag> =>
  (await server.call('GET', `/api/v1/flags/${key}`)).json();

describe('flagd import and export', () => {
  it('exports one environment as a flagd document with segments as $evaluators', async () => {
    const document = await exported('production');
    expect(document.flags['new-checkout']).toMatchObject({
      state: 'ENABLED',
      defaultVariant: 'off',
      metadata: { fallbackValue: 'false', offVariant: 'off' },
    });
    expect(Object.keys(document.$evaluators ?? {})).toEqual([
      'beta-company',
      'colombia',
      'internal-employees',
    ]);
  });

  it('refuses an export for an unknown environment, naming the parameter', async () => {
    const response = await server.call('GET', '/api/v1/flags/export?environment=mars');
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details.issues[0].path).toBe('environment');
  });

  it('imports one environment: the targeting lands there, the other environments keep theirs', async () => {
    const production = await exported('production');
    const before = await flag('new-checkout');
    const response = await server.call('POST', '/api/v1/flags/import', {
      as: 'dev-dana',
      body: { environment: 'testing', document: production },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ created: [], updated: ['new-checkout'] });
    const after = await flag('new-checkout');
    expect(after.version).toBe(before.version + 1);
    expect(after.environments.testing.rules.map((r) => r.conditions)).toEqual(
      before.environments.production.rules.map((r) => r.conditions),
    );
    expect(after.environments.development).toEqual(before.environments.development);
    const history = (await server.call('GET', '/api/v1/flags/new-checkout/history')).json().entries;
    expect(history[0]).toMatchObject({
      change: 'imported',
      by: 'dev-dana',
      summary: 'rules in testing',
    });
  });

  it('creates new flags and segments from a document, off in the other environments', async () => {
    const document = {
      flags: {
        'search-v2': {
          state: 'ENABLED',
          defaultVariant: 'old',
          variants: { old: 'v1', new: 'v2' },
          targeting: { if: [{ $ref: 'peru' }, 'new'] },
        },
      },
      $evaluators: { peru: { '==': [{ var: 'country' }, 'PE'] } },
    };
    const response = await server.call('POST', '/api/v1/flags/import', {
      body: { environment: 'staging', document },
    });
    expect(response.json()).toEqual({
      created: ['search-v2'],
      updated: [],
      segmentsCreated: ['peru'],
      segmentsUpdated: [],
    });
    const created = await flag('search-v2');
    expect(created.environments.staging).toEqual({
      state: 'on',
      rules: [
        {
          name: '',
          conditions: [{ operator: 'segment', segment: 'peru' }],
          serve: { kind: 'variant', variant: 'new' },
        },
      ],
    });
    expect(created.environments.production).toEqual({ state: 'off', rules: [] });
    expect(created.fallbackValue).toBe('v1');
  });

  it('is all or nothing: one bad flag refuses the document and changes nothing', async () => {
    const listBefore = (await server.call('GET', '/api/v1/flags')).json();
    const document = {
      flags: {
        good: { state: 'ENABLED', defaultVariant: 'on', variants: { on: true, off: false } },
        'new-checkout': {
          state: 'ENABLED',
          defaultVariant: 'on',
          variants: { on: true, off: 'false' },
        },
      },
      $evaluators: { fresh: { '===': [{ var: 'plan' }, 'gold'] } },
    };
    const response = await server.call('POST', '/api/v1/flags/import', {
      body: { environment: 'production', document },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details.issues[0].path).toBe(
      'document.flags.new-checkout.variants.off',
    );
    expect((await server.call('GET', '/api/v1/flags')).json()).toEqual(listBefore);
    expect((await server.call('GET', '/api/v1/segments/fresh')).statusCode).toBe(404);
  });

  it('keeps targeting the forms cannot express as a JSON rule, and exports it back as written', async () => {
    const targeting = { if: [{ '<': [{ var: 'age' }, 18] }, 'on'] };
    const document = {
      flags: {
        underAge: { state: 'ENABLED', defaultVariant: 'on', variants: { on: true }, targeting },
      },
    };
    const response = await server.call('POST', '/api/v1/flags/import', {
      body: { environment: 'production', document },
    });
    expect(response.statusCode).toBe(200);
    const flag = (await server.call('GET', '/api/v1/flags/underAge')).json() as Flag;
    expect(flag.environments.production).toEqual({ state: 'on', rules: [], logic: targeting });
    expect((await exported('production')).flags.underAge?.targeting).toEqual(targeting);
  });

  it('refuses a JSON rule flagd would not load, with its place in the document', async () => {
    const document = {
      flags: {
        x: {
          state: 'ENABLED',
          defaultVariant: 'on',
          variants: { on: true, off: false },
          targeting: {
            fractional: [
              ['on', 50.5],
              ['off', 49.5],
            ],
          },
        },
      },
    };
    const before = (await server.call('GET', '/api/v1/flags')).json();
    const response = await server.call('POST', '/api/v1/flags/import', {
      body: { environment: 'production', document },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details.issues[0]).toMatchObject({
      path: 'document.flags.x.targeting',
      message: expect.stringMatching(/flagd refuses/),
    });
    expect((await server.call('GET', '/api/v1/flags')).json()).toEqual(before);
  });

  it.each([
    ['without a state', {}],
    ['with a null state', { state: null }],
  ])('refuses a flag %s, as flagd does, and imports nothing', async (_, state) => {
    const listBefore = (await server.call('GET', '/api/v1/flags')).json();
    const document = {
      flags: {
        good: { state: 'ENABLED', defaultVariant: 'on', variants: { on: true, off: false } },
        'my-flag': { ...state, defaultVariant: 'on', variants: { on: true, off: false } },
      },
    };
    const response = await server.call('POST', '/api/v1/flags/import', {
      body: { environment: 'production', document },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details.issues[0]).toEqual({
      path: 'document.flags.my-flag.state',
      message: 'a flag needs a state: ENABLED or DISABLED',
    });
    expect((await server.call('GET', '/api/v1/flags')).json()).toEqual(listBefore);
    expect((await server.call('GET', '/api/v1/flags/good')).statusCode).toBe(404);
  });

  it('needs flag.write to import', async () => {
    const response = await server.call('POST', '/api/v1/flags/import', {
      as: 'vic-viewer',
      body: { environment: 'production', document: { flags: {} } },
    });
    expect(response.statusCode).toBe(403);
  });
});
