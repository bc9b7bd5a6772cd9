import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiErrorSchema, type Gameday, type GamedaySpecInput } from '../../src/domain';
import { cpuSpec, testServer, type TestServer } from './test-server';

let server: TestServer;
beforeEach(async () => {
  server = await testServer();
});
afterEach(() => server.app.close());

function plan(overrides: Partial<GamedaySpecInput> = {}): GamedaySpecInput {
  const now = server.clock.now();
  return {
    title: 'Checkout resilience',
    startsAt: now,
    endsAt: now + 3_600_000,
    participants: [{ name: 'sam-sre', role: 'coordinator' }],
    experimentIds: [],
    runbook: [{ text: 'Announce the game day' }],
    ...overrides,
  };
}

async function gameday(): Promise<Gameday> {
  const response = await server.call('POST', '/api/v1/gamedays', { body: plan() });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

/** The database's size in pages: a refused request must not grow it. */
const pages = () => server.context.db.pragma('page_count', { simple: true }) as number;

describe('text a user stores is bounded at the door', () => {
  it.each([
    ['an experiment name', () => cpuSpec({ name: 'n'.repeat(121) }), 'name'],
    ['a hypothesis', () => cpuSpec({ hypothesis: 'h'.repeat(2_001) }), 'hypothesis'],
    ['experiment notes', () => cpuSpec({ notes: 'n'.repeat(900_000) }), 'notes'],
  ])(
    'refuses %s past its limit with a 400 naming it, storing nothing',
    async (_what, spec, path) => {
      const before = pages();
      const response = await server.call('POST', '/api/v1/experiments', { body: spec() });
      expect(response.statusCode).toBe(400);
      expect(apiErrorSchema.parse(response.json()).error.details).toMatchObject({
        issues: [{ path }],
      });
      expect(server.context.experiments.list()).toEqual([]);
      expect(pages()).toBe(before);
    },
  );

  it('refuses a game-day description past 5 000 characters, naming it', async () => {
    const response = await server.call('POST', '/api/v1/gamedays', {
      body: plan({ description: 'd'.repeat(900_000) }),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details.issues[0].path).toBe('description');
    expect((await server.call('GET', '/api/v1/gamedays')).json().gamedays).toEqual([]);
  });

  it('refuses a game-day note and findings past their limits, and the game day is unchanged', async () => {
    const created = await gameday();
    const before = pages();
    const note = await server.call('POST', `/api/v1/gamedays/${created.id}/notes`, {
      body: { text: 'n'.repeat(900_000) },
    });
    expect(note.statusCode).toBe(400);
    expect(note.json().error.details.issues[0].path).toBe('text');
    for (const field of ['broke', 'surprised'] as const) {
      const findings = await server.call('PUT', `/api/v1/gamedays/${created.id}/findings`, {
        body: { version: created.version, findings: { [field]: 'x'.repeat(10_001) } },
      });
      expect(findings.statusCode).toBe(400);
      expect(findings.json().error.details.issues[0].path).toBe(`findings.${field}`);
    }
    expect((await server.call('GET', `/api/v1/gamedays/${created.id}`)).json()).toEqual(created);
    expect(pages()).toBe(before);
  });
});
