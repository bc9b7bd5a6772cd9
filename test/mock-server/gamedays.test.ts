import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../mock-server/app';
import { ManualClock } from '../../mock-server/clock';
import type { Gameday, GamedaySpecInput, TimelineEntry } from '../../src/domain';
import {
  abortingSpec,
  calmSpec,
  createExperiment,
  startExperiment,
  startTestServer,
  type TestServer,
} from './gamedays-test-app';
import { canarySpec, createRollout, flagRolloutSpec, getRollout } from './rollouts-fixtures';
import { mildLatencySpec } from './test-server';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.app.close();
});

function plan(
  experimentIds: string[],
  overrides: Partial<GamedaySpecInput> = {},
): GamedaySpecInput {
  const now = server.clock.now();
  return {
    title: 'Checkout resilience',
    startsAt: now - 60_000,
    endsAt: now + 2 * 3_600_000,
    participants: [
      { name: 'sam-sre', role: 'coordinator' },
      { name: 'vic-viewer', role: 'scribe' },
    ],
    experimentIds,
    runbook: [
      { text: 'Announce the game day' },
      ...(experimentIds[0]
        ? [{ text: 'Start the error burst', experimentId: experimentIds[0] }]
        : []),
    ],
    ...overrides,
  };
}

async function createGameday(spec: GamedaySpecInput): Promise<Gameday> {
  const response = await server.call('POST', '/api/v1/gamedays', { body: spec });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

async function timeline(id: string): Promise<TimelineEntry[]> {
  return (await server.call('GET', `/api/v1/gamedays/${id}/timeline`)).json().entries;
}

describe('game day CRUD', () => {
  it('creates a game day at version 1 with runbook ids and no ticks', async () => {
    const experiment = await createExperiment(server, abortingSpec());
    const gameday = await createGameday(plan([experiment.id]));
    expect(gameday).toMatchObject({
      version: 1,
      createdBy: 'sam-sre',
      experimentIds: [experiment.id],
    });
    expect(gameday.runbook).toHaveLength(2);
    expect(gameday.runbook.every((s) => s.id && s.tickedBy === null && s.tickedAt === null)).toBe(
      true,
    );
    expect((await server.call('GET', `/api/v1/gamedays/${gameday.id}`)).json()).toEqual(gameday);
    expect(
      (await server.call('GET', '/api/v1/gamedays')).json().gamedays.map((g: Gameday) => g.id),
    ).toEqual([gameday.id]);
  });

  it.each([
    [{ title: '' }, 'title'],
    [{ endsAt: 0 }, 'endsAt'],
    [{ experimentIds: ['no-such-experiment'] }, 'experimentIds.0'],
  ])('refuses %j with a 400 naming %s and stores nothing', async (override, field) => {
    const auditBefore = server.auditCount();
    const response = await server.call('POST', '/api/v1/gamedays', {
      body: { ...plan([]), ...override },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details.issues[0].path).toBe(field);
    expect((await server.call('GET', '/api/v1/gamedays')).json().gamedays).toEqual([]);
    expect(server.auditCount()).toBe(auditBefore);
  });

  it('refuses a stale edit with 409 and the stored game day, and applies a fresh one', async () => {
    const gameday = await createGameday(plan([]));
    const edit = { ...plan([]), title: 'Renamed' };
    const fresh = await server.call('PUT', `/api/v1/gamedays/${gameday.id}`, {
      body: { version: 1, spec: edit },
    });
    expect(fresh.json()).toMatchObject({ title: 'Renamed', version: 2 });
    const stale = await server.call('PUT', `/api/v1/gamedays/${gameday.id}`, {
      body: { version: 1, spec: { ...edit, title: 'Lost' } },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.details.current).toMatchObject({ title: 'Renamed', version: 2 });
  });

  it('lets a viewer read but not plan', async () => {
    const response = await server.call('POST', '/api/v1/gamedays', {
      as: 'vic-viewer',
      body: plan([]),
    });
    expect(response.statusCode).toBe(403);
    expect((await server.call('GET', '/api/v1/gamedays', { as: 'vic-viewer' })).statusCode).toBe(
      200,
    );
    expect((await server.call('GET', '/api/v1/gamedays', { as: null })).statusCode).toBe(401);
  });

  it('deletes only with the current version', async () => {
    const gameday = await createGameday(plan([]));
    expect(
      (await server.call('DELETE', `/api/v1/gamedays/${gameday.id}?version=7`)).statusCode,
    ).toBe(409);
    expect(
      (await server.call('DELETE', `/api/v1/gamedays/${gameday.id}?version=1`)).statusCode,
    ).toBe(204);
    expect((await server.call('GET', `/api/v1/gamedays/${gameday.id}`)).statusCode).toBe(404);
  });
});

describe('runbook, notes and findings', () => {
  it('records who ticked a step and when, and keeps the tick through an edit', async () => {
    const gameday = await createGameday(plan([]));
    const step = gameday.runbook[0]!;
    server.clock.advance(90_000);
    const ticked: Gameday = (
      await server.call('POST', `/api/v1/gamedays/${gameday.id}/runbook/${step.id}`, {
        as: 'dev-dana',
        body: { done: true },
      })
    ).json();
    expect(ticked.runbook[0]).toMatchObject({ tickedBy: 'dev-dana', tickedAt: server.clock.now() });
    const edited: Gameday = (
      await server.call('PUT', `/api/v1/gamedays/${gameday.id}`, {
        body: {
          version: ticked.version,
          spec: {
            ...plan([]),
            runbook: [{ id: step.id, text: 'Announce it on #ops' }, { text: 'New step' }],
          },
        },
      })
    ).json();
    expect(edited.runbook.map((s) => [s.text, s.tickedBy])).toEqual([
      ['Announce it on #ops', 'dev-dana'],
      ['New step', null],
    ]);
    const cleared: Gameday = (
      await server.call('POST', `/api/v1/gamedays/${gameday.id}/runbook/${step.id}`, {
        body: { done: false },
      })
    ).json();
    expect(cleared.runbook[0]).toMatchObject({ tickedBy: null, tickedAt: null });
  });

  it('answers 404 for an unknown runbook step and 400 without "done"', async () => {
    const gameday = await createGameday(plan([]));
    expect(
      (
        await server.call('POST', `/api/v1/gamedays/${gameday.id}/runbook/nope`, {
          body: { done: true },
        })
      ).statusCode,
    ).toBe(404);
    const missing = await server.call(
      'POST',
      `/api/v1/gamedays/${gameday.id}/runbook/${gameday.runbook[0]!.id}`,
      { body: {} },
    );
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.details.issues[0].path).toBe('done');
  });

  it('takes notes from any signed-in person, with author and time', async () => {
    const gameday = await createGameday(plan([]));
    server.clock.advance(5_000);
    const response = await server.call('POST', `/api/v1/gamedays/${gameday.id}/notes`, {
      as: 'vic-viewer',
      body: { text: 'Payments graphs look odd' },
    });
    expect(response.statusCode).toBe(201);
    expect(await timeline(gameday.id)).toEqual([
      expect.objectContaining({
        kind: 'note',
        text: 'Payments graphs look odd',
        by: 'vic-viewer',
        at: server.clock.now(),
      }),
    ]);
    expect(
      (await server.call('POST', `/api/v1/gamedays/${gameday.id}/notes`, { body: { text: '  ' } }))
        .statusCode,
    ).toBe(400);
  });

  it('writes findings and hypothesis outcomes, versioned, only for its experiments', async () => {
    const experiment = await createExperiment(server, calmSpec());
    const gameday = await createGameday(plan([experiment.id]));
    const findings = {
      broke: 'Retries storm payments',
      surprised: 'Nothing paged',
      followUps: [{ action: 'Add a retry budget', owner: 'dev-dana' }],
    };
    const stray = await server.call('PUT', `/api/v1/gamedays/${gameday.id}/findings`, {
      body: {
        version: 1,
        findings,
        hypothesisOutcomes: [{ experimentId: 'other', verdict: 'refuted' }],
      },
    });
    expect(stray.statusCode).toBe(400);
    expect(stray.json().error.details.issues[0].path).toBe('hypothesisOutcomes.0.experimentId');
    const saved: Gameday = (
      await server.call('PUT', `/api/v1/gamedays/${gameday.id}/findings`, {
        body: {
          version: 1,
          findings,
          hypothesisOutcomes: [
            { experimentId: experiment.id, verdict: 'refuted', comment: 'It paged' },
          ],
        },
      })
    ).json();
    expect(saved.findings.followUps).toEqual([
      { action: 'Add a retry budget', owner: 'dev-dana', done: false },
    ]);
    expect(saved.hypothesisOutcomes).toEqual([
      { experimentId: experiment.id, verdict: 'refuted', comment: 'It paged' },
    ]);
    expect(
      (
        await server.call('PUT', `/api/v1/gamedays/${gameday.id}/findings`, {
          body: { version: 1, findings },
        })
      ).statusCode,
    ).toBe(409);
  });
});

describe('the timeline', () => {
  it('fills itself from the experiments of the game day while it is in its window, ordered with notes', async () => {
    const aborting = await createExperiment(server, abortingSpec());
    const calm = await createExperiment(server, calmSpec());
    const outsider = await createExperiment(
      server,
      calmSpec({ name: 'Not in the game day', service: 'search' }),
    );
    const gameday = await createGameday(plan([aborting.id, calm.id]));

    await startExperiment(server, aborting.id, aborting.version);
    await startExperiment(server, outsider.id, outsider.version);
    server.clock.advance(1_000);
    await server.call('POST', `/api/v1/gamedays/${gameday.id}/notes`, {
      as: 'dev-dana',
      body: { text: 'Error rate climbing' },
    });
    server.clock.advance(10_000);
    await startExperiment(server, calm.id, calm.version);
    server.clock.advance(1_000);
    await server.call('POST', '/api/v1/halt-all', { as: 'vic-viewer', body: {} });

    const entries = await timeline(gameday.id);
    expect(entries.map((e) => e.kind)).toEqual([
      'started',
      'note',
      'aborted',
      'started',
      'halted',
      'halt-all',
    ]);
    expect(entries.map((e) => e.at)).toEqual([...entries.map((e) => e.at)].sort((a, b) => a - b));
    expect(entries[2]?.text).toMatch(/aborted: 5xx rate > 1 % for 2 s \(reached \d+(\.\d)? %\)/);
    expect(entries[4]).toMatchObject({ experimentId: calm.id, by: 'vic-viewer' });
    expect(entries.some((e) => e.experimentId === outsider.id)).toBe(false);
  });

  it('notes a flag turned off during the game day', async () => {
    const gameday = await createGameday(plan([]));
    const killed = await server.call('POST', '/api/v1/flags/new-checkout/kill', {
      as: 'vic-viewer',
      body: { environment: 'production' },
    });
    expect(killed.statusCode, killed.body).toBe(200);
    expect((await timeline(gameday.id)).map((e) => e.text)).toEqual([
      'Flag “new-checkout” turned off',
    ]);
  });

  it('shows a rollout held by the abort of a game-day experiment on its service, with its reason', async () => {
    const aborting = await createExperiment(server, abortingSpec());
    const gameday = await createGameday(plan([aborting.id]));
    const elsewhere = await createGameday(
      plan([(await createExperiment(server, calmSpec())).id], { title: 'Catalog only' }),
    );
    const rollout = await createRollout(server, canarySpec());
    await startExperiment(server, aborting.id, aborting.version);
    for (let i = 0; i < 30 && server.experiment(aborting.id).state === 'running'; i++)
      server.advance(1);
    expect(server.experiment(aborting.id).state).toBe('aborted');

    const held = (await timeline(gameday.id)).filter((e) => e.kind === 'rollout-held');
    expect(held).toEqual([
      expect.objectContaining({
        experimentId: null,
        by: null,
        text:
          'Rollout “Checkout 2.4.0” (checkout 2.4.0 in staging) held: chaos experiment ' +
          '"Error burst on checkout" aborted on checkout in staging: 5xx rate > 1 % for 2 s; ' +
          'resume when it is understood',
      }),
    ]);
    expect(held[0]?.text).toContain((await getRollout(server, rollout.id)).reason);
    expect((await timeline(elsewhere.id)).some((e) => e.kind === 'rollout-held')).toBe(false);
  });

  it.each([false, true])(
    'shows the rollouts halt all paused (killFlags %s) on the game day exercising their service, each with its reason',
    async (killFlags) => {
      const experiment = await createExperiment(server, calmSpec({ service: 'checkout' }));
      const gameday = await createGameday(plan([experiment.id]));
      const elsewhere = await createGameday(
        plan([(await createExperiment(server, calmSpec())).id], { title: 'Catalog only' }),
      );
      await createRollout(server, canarySpec());
      const flagged = await createRollout(server, flagRolloutSpec());
      await startExperiment(server, experiment.id, experiment.version);
      server.advance(2);
      const halt = await server.call('POST', '/api/v1/halt-all', {
        as: 'vic-viewer',
        body: { environment: 'staging', killFlags },
      });
      expect(halt.statusCode, halt.body).toBe(200);

      const entries = await timeline(gameday.id);
      const paused = entries.filter((e) => e.kind === 'rollout-paused').map((e) => e.text);
      const flagOff = killFlags ? '; flag new-checkout turned off in staging' : '';
      expect(paused.sort()).toEqual([
        'Rollout “Checkout 2.4.0” (checkout 2.4.0 in staging) paused by halt all (vic-viewer, staging)',
        `Rollout “New checkout for everyone” (flag new-checkout on checkout in staging) paused by halt all (vic-viewer, staging)${flagOff}`,
      ]);
      expect((await getRollout(server, flagged.id)).reason).toBe(
        `paused by halt all (vic-viewer, staging)${flagOff}`,
      );
      expect(entries.map((e) => e.kind)).toContain('halt-all');
      const other = await timeline(elsewhere.id);
      expect(other.map((e) => e.kind)).toContain('halt-all');
      expect(other.some((e) => e.kind === 'rollout-paused')).toBe(false);
    },
  );

  it('records nothing before the window opens', async () => {
    const experiment = await createExperiment(server, calmSpec());
    const gameday = await createGameday(
      plan([experiment.id], {
        startsAt: server.clock.now() + 3_600_000,
        endsAt: server.clock.now() + 7_200_000,
      }),
    );
    await startExperiment(server, experiment.id, experiment.version);
    expect(await timeline(gameday.id)).toEqual([]);
  });

  it('exports the report as Markdown', async () => {
    const experiment = await createExperiment(server, calmSpec());
    const gameday = await createGameday(plan([experiment.id]));
    await startExperiment(server, experiment.id, experiment.version);
    const response = await server.call('GET', `/api/v1/gamedays/${gameday.id}/report`);
    expect(response.headers['content-type']).toContain('text/markdown');
    expect(response.headers['content-disposition']).toBe(
      'attachment; filename="gameday-2025-01-06-checkout-resilience.md"',
    );
    expect(response.body).toContain('# Checkout resilience');
    expect(response.body).toContain('### 1. Mild latency on catalog');
    expect(response.body).toMatch(/09:00 UTC — Started “Mild latency on catalog”/);
  });
  it("gives each ended experiment the judge's verdict in the report, with its numbers", async () => {
    const slow = await createExperiment(
      server,
      mildLatencySpec({ steps: [{ magnitude: 300, durationSeconds: 60 }] }),
    );
    const calm = await createExperiment(
      server,
      mildLatencySpec({
        name: 'Barely any latency',
        service: 'catalog',
        steps: [{ magnitude: 1, durationSeconds: 60 }],
      }),
    );
    const waiting = await createExperiment(server, calmSpec());
    const gameday = await createGameday(plan([slow.id, calm.id, waiting.id]));
    server.advance(5);
    await startExperiment(server, slow.id, slow.version);
    await startExperiment(server, calm.id, calm.version);
    await startExperiment(server, waiting.id, waiting.version);
    server.advance(62);

    const report = (await server.call('GET', `/api/v1/gamedays/${gameday.id}/report`)).body;
    // Markdown-escaped ([, ] and <), so a reader's renderer shows them as written.
    const judged = report.split('\n').filter((line) => line.startsWith('- Judge'));
    expect(judged).toHaveLength(3);
    expect(judged[0]).toMatch(
      new RegExp(
        String.raw`^- Judge \(target against control\): The hypothesis did not hold: ` +
          String.raw`target p99 latency \d+ ms vs control \d+ ms, ` +
          String.raw`\+\d+ ms \\\[\d+, \d+\\\], p \\< 0\.001, \d+ samples each$`,
      ),
    );
    expect(judged[1]).toMatch(/^- Judge \(target against control\): The hypothesis held: target /);
    expect(judged[2]).toBe(
      '- Judge (target against control): no verdict (the run has not ended, or was interrupted)',
    );
  });
});

describe('across restarts', () => {
  it('keeps game days, ticks and timelines in the SQLite file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'faultline-gamedays-'));
    const file = path.join(dir, 'faultline.sqlite');
    try {
      const clock = new ManualClock();
      const first = await buildApp({ database: file, clock, sampleData: false });
      const token = (
        await first.app.inject({
          method: 'POST',
          url: '/api/v1/session',
          payload: { user: 'sam-sre' },
        })
      ).json().token;
      const headers = { authorization: `Bearer ${token}` };
      const now = clock.now();
      const created = (
        await first.app.inject({
          method: 'POST',
          url: '/api/v1/gamedays',
          headers,
          payload: {
            title: 'Kept',
            startsAt: now,
            endsAt: now + 60_000,
            runbook: [{ text: 'one' }],
          },
        })
      ).json();
      await first.app.inject({
        method: 'POST',
        url: `/api/v1/gamedays/${created.id}/notes`,
        headers,
        payload: { text: 'still here' },
      });
      await first.app.inject({
        method: 'POST',
        url: `/api/v1/gamedays/${created.id}/runbook/${created.runbook[0].id}`,
        headers,
        payload: { done: true },
      });
      await first.app.close();

      const second = await buildApp({ database: file, clock, sampleData: false });
      const again = (
        await second.app.inject({
          method: 'POST',
          url: '/api/v1/session',
          payload: { user: 'sam-sre' },
        })
      ).json().token;
      const auth = { authorization: `Bearer ${again}` };
      const gameday = (
        await second.app.inject({
          method: 'GET',
          url: `/api/v1/gamedays/${created.id}`,
          headers: auth,
        })
      ).json();
      expect(gameday.runbook[0]).toMatchObject({ tickedBy: 'sam-sre' });
      const entries = (
        await second.app.inject({
          method: 'GET',
          url: `/api/v1/gamedays/${created.id}/timeline`,
          headers: auth,
        })
      ).json().entries;
      expect(entries.map((e: TimelineEntry) => e.text)).toEqual(['still here']);
      await second.app.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
