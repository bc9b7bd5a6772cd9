import { OFREPProvider } from '@openfeature/ofrep-provider';
import { OpenFeature, type Client } from '@openfeature/server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENVIRONMENTS } from '@/domain';
import { explainEvaluation, newCheckoutFlag, SAMPLE_SEGMENTS } from '@/domain/flags';
import { testServer, type TestServer } from './test-server';

let server: TestServer;
let baseUrl: string;
const keys: Record<string, string> = {};

async function clientFor(environment: string, headers?: [string, string][]): Promise<Client> {
  const domain = `ofrep-${environment}-${Math.random()}`;
  await OpenFeature.setProviderAndWait(
    domain,
    new OFREPProvider({
      baseUrl,
      headers: headers ?? [['X-API-Key', keys[environment] as string]],
    }),
  );
  return OpenFeature.getClient(domain);
}

beforeAll(async () => {
  server = await testServer();
  baseUrl = await server.app.listen({ port: 0, host: '127.0.0.1' });
  for (const environment of ENVIRONMENTS) keys[environment] = await server.ofrepKey(environment);
});
afterAll(async () => {
  await OpenFeature.close();
  await server.app.close();
});

describe('OFREP with the OpenFeature server SDK and the OFREP provider', () => {
  it('gives internal employees, a Colombian user and the beta company the new checkout', async () => {
    const client = await clientFor('production');
    for (const context of [
      { targetingKey: 'emp-1', email: 'ana@faultline.dev', country: 'US', company: 'Faultline' },
      { targetingKey: 'co-1', email: 'juan@acme.example', country: 'CO', company: 'Acme' },
      { targetingKey: 'gx-1', email: 'kai@globex.example', country: 'DE', company: 'Globex' },
    ]) {
      const details = await client.getBooleanDetails('new-checkout', false, context);
      expect(details).toMatchObject({ value: true, variant: 'on', reason: 'TARGETING_MATCH' });
      expect(details.errorCode).toBeUndefined();
    }
  });

  it("gives everyone else the rollout's share, stickily, exactly as the preview predicts for each key", async () => {
    const client = await clientFor('production');
    const flag = newCheckoutFlag();
    const segments = Object.fromEntries(SAMPLE_SEGMENTS.map((s) => [s.key, s]));
    // The share over 10 000 keys is checked against flagd-core in the domain tests; over HTTP,
    // every one of 1 000 keys must get exactly the variant the preview computes.
    const KEYS = 1_000;
    const CONCURRENCY = 20;
    let on = 0;
    for (let start = 0; start < KEYS; start += CONCURRENCY) {
      const batch = Array.from({ length: CONCURRENCY }, (_, i) => ({
        targetingKey: `user-${start + i}`,
        email: `user-${start + i}@hooli.example`,
        country: 'US',
      }));
      const answers = await Promise.all(
        batch.map((context) => client.getBooleanValue('new-checkout', false, context)),
      );
      answers.forEach((value, i) => {
        if (value) on++;
        expect(value).toBe(
          explainEvaluation(flag, 'production', batch[i] as never, segments).value,
        );
      });
    }
    expect(Math.abs((on / KEYS) * 100 - 20)).toBeLessThanOrEqual(3);
    const sticky = { targetingKey: 'user-42', email: 'user-42@hooli.example', country: 'US' };
    const first = await client.getBooleanValue('new-checkout', false, sticky);
    for (let i = 0; i < 5; i++)
      expect(await client.getBooleanValue('new-checkout', false, sticky)).toBe(first);
  }, 60_000);

  it('chooses the environment by API key: development gives everyone the new checkout', async () => {
    const client = await clientFor('development');
    expect(
      await client.getBooleanDetails('new-checkout', false, {
        targetingKey: 'user-1',
        country: 'US',
      }),
    ).toMatchObject({ value: true, reason: 'TARGETING_MATCH' });
  });

  it('gives the off value with reason DISABLED once the flag is killed', async () => {
    await server.call('POST', '/api/v1/flags/new-checkout/kill', {
      as: 'vic-viewer',
      body: { environment: 'staging' },
    });
    const client = await clientFor('staging');
    const details = await client.getBooleanDetails('new-checkout', true, {
      targetingKey: 'emp-1',
      email: 'ana@faultline.dev',
    });
    expect(details).toMatchObject({ value: false, variant: 'off', reason: 'DISABLED' });
    expect(details.errorCode).toBeUndefined();
  });

  it("gives the caller's default with FLAG_NOT_FOUND for a flag that does not exist", async () => {
    const client = await clientFor('production');
    const details = await client.getStringDetails('no-such-flag', 'fallback', {
      targetingKey: 'u',
    });
    expect(details).toMatchObject({
      value: 'fallback',
      reason: 'ERROR',
      errorCode: 'FLAG_NOT_FOUND',
    });
  });

  it("gives the flag's default variant when a rollout has no key to bucket by, as flagd does", async () => {
    const client = await clientFor('production');
    const details = await client.getBooleanDetails('new-checkout', true, {
      email: 'bo@initech.example',
    });
    expect(details).toMatchObject({ value: false, reason: 'TARGETING_MATCH', variant: 'off' });
    // An employee is decided before the rollout, so no key is needed.
    expect(
      await client.getBooleanValue('new-checkout', false, { email: 'ana@faultline.dev' }),
    ).toBe(true);
  });

  it('answers a type mismatch with the caller default', async () => {
    const client = await clientFor('production');
    const details = await client.getStringDetails('new-checkout', 'x', {
      targetingKey: 'emp-1',
      email: 'ana@faultline.dev',
    });
    expect(details).toMatchObject({ value: 'x', errorCode: 'TYPE_MISMATCH' });
  });

  it('accepts the key as a bearer token too, and refuses an unknown key', async () => {
    const bearer = await clientFor('production', [['Authorization', `Bearer ${keys.production}`]]);
    expect(
      await bearer.getBooleanValue('new-checkout', false, {
        targetingKey: 'x',
        email: 'ana@faultline.dev',
      }),
    ).toBe(true);
    const wrong = await clientFor('production', [['X-API-Key', 'not-a-key']]);
    const details = await wrong.getBooleanDetails('new-checkout', false, {
      targetingKey: 'x',
      email: 'ana@faultline.dev',
    });
    expect(details).toMatchObject({ value: false, reason: 'ERROR' });
  });
});
