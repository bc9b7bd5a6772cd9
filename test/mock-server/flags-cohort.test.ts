import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { explainEvaluation, newCheckoutFlag, SAMPLE_SEGMENTS } from '@/domain/flags';
import { flagCohort } from '../../mock-server/flags/cohort';
import { createEvaluator } from '../../mock-server/flags/evaluator';
import { flagStore } from '../../mock-server/flags/flag-store';
import { testServer, type TestServer } from './test-server';

let server: TestServer;
beforeEach(async () => {
  server = await testServer();
});
afterEach(() => server.app.close());

function cohort(environment: 'production' | 'staging', service = 'checkout') {
  const store = flagStore(server.context.db);
  const evaluator = createEvaluator(() => ({
    flags: store.listFlags(),
    segments: store.listSegments(),
  }));
  return flagCohort(store, evaluator, {
    flagKey: 'new-checkout',
    service,
    environment,
    users: server.simulation.users,
  });
}

describe("a flag's cohort among the simulated users", () => {
  it('holds exactly the users the targeting serves the new code path', () => {
    const result = cohort('production');
    if ('refused' in result) throw new Error(result.refused);
    const segments = Object.fromEntries(SAMPLE_SEGMENTS.map((s) => [s.key, s]));
    const expected = server.simulation.users.filter(
      (u) =>
        explainEvaluation(
          newCheckoutFlag(),
          'production',
          { targetingKey: u.id, email: u.email, country: u.country, company: u.company },
          segments,
        ).variant === 'on',
    );
    expect(result.on.map((u) => u.id)).toEqual(expected.map((u) => u.id));
    expect(result.on.length + result.off.length).toBe(server.simulation.users.length);
    expect(result.on.some((u) => u.email.endsWith('@faultline.dev'))).toBe(true);
    expect(
      result.off.every(
        (u) => !u.email.endsWith('@faultline.dev') && u.country !== 'CO' && u.company !== 'Globex',
      ),
    ).toBe(true);
  });

  it('is empty once the flag is killed in that environment', async () => {
    await server.call('POST', '/api/v1/flags/new-checkout/kill', {
      body: { environment: 'staging' },
    });
    const result = cohort('staging');
    if ('refused' in result) throw new Error(result.refused);
    expect(result.on).toEqual([]);
  });

  it('is refused for a service that does not read the flag', () => {
    expect(cohort('production', 'search')).toEqual({
      refused: 'flag new-checkout is not read by search (it is read by checkout)',
    });
  });
});
