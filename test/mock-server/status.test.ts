import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../mock-server/app';
import { ManualClock } from '../../mock-server/clock';
import { DEMO_USERS } from '../../mock-server/identity';
import type { Incident, StatusResponse } from '../../src/domain';
import {
  abortingSpec,
  calmSpec,
  createExperiment,
  startExperiment,
  startTestServer,
  type TestServer,
} from './gamedays-test-app';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.app.close();
});

/** Errors on every checkout container, with a limit far above them: the service is down and nothing stops it. */
const unlimitedErrors = abortingSpec({
  name: 'Heavy errors on checkout',
  abortConditions: [
    {
      kind: 'threshold',
      metric: 'http_5xx_rate',
      comparator: '>',
      threshold: 99,
      windowSeconds: 60,
      scope: 'target',
    },
  ],
});

async function publicStatus(query = ''): Promise<StatusResponse> {
  const response = await server.call('GET', `/api/v1/status${query}`, { as: null });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

async function incidents(): Promise<Incident[]> {
  return (await server.call('GET', '/api/v1/incidents')).json().incidents;
}

describe('incidents', () => {
  it('opens an incident when an experiment aborts, written by the system and audited', async () => {
    const experiment = await createExperiment(server, abortingSpec());
    await startExperiment(server, experiment.id, experiment.version);
    expect(await incidents()).toEqual([]);
    server.clock.advance(10_000);
    const [incident, ...rest] = await incidents();
    expect(rest).toEqual([]);
    expect(incident).toMatchObject({
      state: 'open',
      service: 'checkout',
      environment: 'staging',
      experimentId: experiment.id,
    });
    expect(incident?.summary).toContain(
      'It was stopped automatically because the 5xx rate reached',
    );
    expect(incident?.title).toMatch(
      /^checkout in staging: some requests failing during a planned test, \d{1,2} [A-Z][a-z]{2} \d\d:\d\d UTC$/,
    );
    const audit = (await server.call('GET', '/api/v1/audit?action=incident')).json().entries;
    expect(audit).toEqual([
      expect.objectContaining({
        action: 'incident.open',
        actor: 'faultline',
        role: 'system',
        targetId: incident?.id,
      }),
    ]);
  });

  it('opens it in the abort’s own transaction; a step after the abort that fails leaves the abort standing', async () => {
    const failures = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    // A later hook that writes an audit row and an event, then throws: both must be dropped.
    server.context.extensions.abortHooks.push((aborted, scope) => {
      scope.audit('test.after-abort', { type: 'experiment', id: aborted.id }, null, null);
      scope.publish({ type: 'resource', resource: 'test', id: aborted.id, change: 'after-abort' });
      throw new Error('disk full');
    });
    const published: string[] = [];
    server.context.bus.subscribe(({ event }) =>
      published.push(event.type === 'resource' ? `${event.resource}:${event.change}` : event.type),
    );
    const experiment = await createExperiment(server, abortingSpec());
    await startExperiment(server, experiment.id, experiment.version);
    const auditBefore = server.auditCount();

    server.clock.advance(10_000);

    expect(server.context.experiments.get(experiment.id)?.state).toBe('aborted');
    expect(server.context.engine.running()).toEqual([]);
    const [incident] = await incidents();
    expect(incident?.experimentId).toBe(experiment.id);
    // The abort and the incident: two audit rows, and nothing of the failed step.
    expect(server.auditCount()).toBe(auditBefore + 2);
    expect(published).toContain('incidents:opened');
    expect(published).not.toContain('test:after-abort');
    expect(failures).toHaveBeenCalledWith(
      expect.stringContaining(`experiment ${experiment.id} is aborted`),
      expect.any(Error),
    );
    failures.mockRestore();
  });

  it('does not open one for a halt', async () => {
    const experiment = await createExperiment(server, unlimitedErrors);
    await startExperiment(server, experiment.id, experiment.version);
    server.clock.advance(3_000);
    await server.call('POST', `/api/v1/experiments/${experiment.id}/halt`, { body: {} });
    server.clock.advance(3_000);
    expect(await incidents()).toEqual([]);
  });

  it('takes updates and is resolved once, with the version it was read at', async () => {
    const experiment = await createExperiment(server, abortingSpec());
    await startExperiment(server, experiment.id, experiment.version);
    server.clock.advance(10_000);
    const [opened] = await incidents();
    const updated: Incident = (
      await server.call('POST', `/api/v1/incidents/${opened!.id}/updates`, {
        as: 'dev-dana',
        body: { text: 'Retry budget too high' },
      })
    ).json();
    expect(updated.updates).toEqual([
      expect.objectContaining({
        author: 'dev-dana',
        text: 'Retry budget too high',
        resolves: false,
      }),
    ]);
    expect(
      (
        await server.call('POST', `/api/v1/incidents/${opened!.id}/resolve`, {
          body: { version: opened!.version },
        })
      ).statusCode,
    ).toBe(409);
    const resolved: Incident = (
      await server.call('POST', `/api/v1/incidents/${opened!.id}/resolve`, {
        body: { version: updated.version },
      })
    ).json();
    expect(resolved).toMatchObject({ state: 'resolved', resolvedAt: server.clock.now() });
    const again = await server.call('POST', `/api/v1/incidents/${opened!.id}/resolve`, {
      body: { version: resolved.version },
    });
    expect(again.json().error.code).toBe('invalid_state');
    expect(
      (
        await server.call('POST', `/api/v1/incidents/${opened!.id}/updates`, {
          as: 'vic-viewer',
          body: { text: 'x' },
        })
      ).statusCode,
    ).toBe(403);
  });
});

describe('public status', () => {
  it('answers without sign-in: every service in every environment, thresholds and 90 days of history', async () => {
    server.clock.advance(2_000);
    const status = await publicStatus();
    expect(status.services.map((s) => s.service)).toEqual([
      'checkout',
      'payments',
      'catalog',
      'frontend',
      'search',
    ]);
    for (const service of status.services) {
      expect(service.environments.map((e) => e.environment)).toEqual([
        'development',
        'testing',
        'staging',
        'production',
      ]);
      expect(service.environments.every((e) => e.state === 'operational')).toBe(true);
      expect(service.history).toHaveLength(90);
      expect(service.history.at(-1)).toMatchObject({ day: '2025-01-06', state: 'operational' });
      // The demo's made-up past days count too; today, measured so far, was all up.
      expect(service.uptime.map((u) => u.days)).toEqual([30, 90]);
      expect(service.history.at(-1)).toMatchObject({ degradedMs: 0, outageMs: 0 });
      expect(service.history.at(-1)?.observedMs).toBeGreaterThan(0);
    }
    expect(status.thresholds.map((t) => t.metric)).toEqual([
      'http_5xx_rate',
      'error_rate',
      'latency_p99',
    ]);
    // The sample flag rolls out to 20 % of everyone else in staging and production.
    expect(status.testing.rollouts).toEqual([
      {
        kind: 'flag',
        key: 'new-checkout',
        service: 'checkout',
        environment: 'staging',
        percent: 20,
      },
      {
        kind: 'flag',
        key: 'new-checkout',
        service: 'checkout',
        environment: 'production',
        percent: 20,
      },
    ]);
  });

  it('shows outage for a service whose 5xx rate is high, the experiment causing it, and keeps the day', async () => {
    const experiment = await createExperiment(server, unlimitedErrors);
    await startExperiment(server, experiment.id, experiment.version);
    server.clock.advance(60_000);
    const status = await publicStatus();
    const checkout = status.services.find((s) => s.service === 'checkout')!;
    const staging = checkout.environments.find((e) => e.environment === 'staging')!;
    expect(staging.state).toBe('outage');
    expect(staging.reasons[0]).toMatch(
      /^requests failing: \d+(\.\d)? % of requests \(an outage from 5 %\)$/,
    );
    expect(checkout.environments.find((e) => e.environment === 'production')?.state).toBe(
      'operational',
    );
    // The strip and the uptime are production's: a test in staging does not mark them.
    expect(checkout.history.at(-1)).toMatchObject({ state: 'operational', outageMs: 0 });
    expect(status.testing.experiments).toEqual([
      expect.objectContaining({
        id: experiment.id,
        name: 'Heavy errors on checkout',
        attack: 'some requests made to fail',
        progressPercent: 10,
      }),
    ]);
    // The day stays an outage after the experiment stops.
    await server.call('POST', `/api/v1/experiments/${experiment.id}/halt`, { body: {} });
    server.clock.advance(5_000);
    const after = (await publicStatus()).services.find((s) => s.service === 'checkout')!;
    expect(after.environments.find((e) => e.environment === 'staging')?.state).toBe('operational');
  });

  it('counts an outage in production against uptime by the minute, and keeps the day', async () => {
    server.clock.advance(1_000);
    const before = (await publicStatus()).services.find((s) => s.service === 'checkout')!;
    const experiment = await createExperiment(server, {
      ...unlimitedErrors,
      environment: 'production',
    });
    const started = await server.call('POST', `/api/v1/experiments/${experiment.id}/start`, {
      body: { version: experiment.version, confirmEnvironment: 'production' },
    });
    expect(started.statusCode, started.body).toBe(200);
    server.clock.advance(60_000);
    await server.call('POST', `/api/v1/experiments/${experiment.id}/halt`, { body: {} });
    server.clock.advance(60_000);
    const checkout = (await publicStatus()).services.find((s) => s.service === 'checkout')!;
    const today = checkout.history.at(-1)!;
    expect(today.state).toBe('outage');
    // Measured since the first sample: about 2 minutes, of which most of the first was an outage.
    expect(today.observedMs).toBeGreaterThan(100_000);
    expect(today.outageMs).toBeGreaterThan(30_000);
    expect(today.outageMs).toBeLessThanOrEqual(60_000);
    // Uptime over the last 30 days: every measured minute of them, outage whole, degraded at 30 %.
    const month = checkout.history.slice(-30);
    const sum = (pick: (d: (typeof month)[number]) => number) =>
      month.reduce((total, d) => total + pick(d), 0);
    const down = sum((d) => d.outageMs) + 0.3 * sum((d) => d.degradedMs);
    const expected = Math.floor((1 - down / sum((d) => d.observedMs)) * 10_000) / 100;
    expect(checkout.uptime[0]).toEqual({ days: 30, percent: expected });
    expect(before.history.at(-1)?.outageMs).toBe(0);
  });

  it('announces a game day that will test production as planned maintenance, ahead of its window', async () => {
    const inProduction = await createExperiment(server, {
      ...calmSpec(),
      environment: 'production',
    });
    const inStaging = await createExperiment(server, calmSpec({ service: 'search' }));
    const now = server.clock.now();
    const gameday = async (title: string, startsAt: number, experimentIds: string[]) => {
      const response = await server.call('POST', '/api/v1/gamedays', {
        body: { title, startsAt, endsAt: startsAt + 60_000, experimentIds },
      });
      expect(response.statusCode, response.body).toBe(201);
      return response.json() as { id: string };
    };
    const planned = await gameday('Catalog resilience day, ask ada@example.com', now + 60_000, [
      inProduction.id,
      inStaging.id,
    ]);
    await gameday('Search in staging', now + 30_000, [inStaging.id]);
    await gameday('Last week', now - 7 * 86_400_000, [inProduction.id]);

    const { maintenance } = await publicStatus();
    expect(maintenance).toEqual([
      {
        id: planned.id,
        title: 'Catalog resilience day, ask [email hidden]',
        summary: expect.stringMatching(/^Planned resilience testing of catalog in production\./),
        startsAt: now + 60_000,
        endsAt: now + 120_000,
        state: 'scheduled',
        services: ['catalog'],
        announcedAt: now,
      },
    ]);

    // Short windows: the test server's clock runs every tick it passes.
    server.clock.advance(61_000);
    expect((await publicStatus()).maintenance.map((m) => m.state)).toEqual(['in-progress']);
    server.clock.advance(60_000);
    expect((await publicStatus()).maintenance).toEqual([]);
  });

  it('speaks without jargon: no metric names, status codes or attack kinds in what the page shows', async () => {
    const aborted = await createExperiment(server, abortingSpec());
    await startExperiment(server, aborted.id, aborted.version);
    server.clock.advance(10_000);
    const running = await createExperiment(server, unlimitedErrors);
    await startExperiment(server, running.id, running.version);
    server.clock.advance(5_000);
    const status = await publicStatus();
    const [incident] = status.incidents;
    expect(incident?.summary).toContain(
      '% of requests were failing, past the limit set for the test',
    );
    // The team still reads the dashboard's words.
    expect((await incidents())[0]?.summary).toContain('the 5xx rate reached');
    const shown = [
      ...status.incidents.flatMap((i) => [i.title, i.summary]),
      ...status.services.flatMap((s) => s.environments.flatMap((e) => e.reasons)),
      ...status.testing.experiments.map((e) => e.attack),
      ...status.thresholds.map((t) => t.rule),
    ];
    expect(shown.some((text) => text.includes('requests failing'))).toBe(true);
    for (const text of shown)
      expect(text).not.toMatch(/5xx|4xx|p99|latency|error injection|pressure|metric/i);
  });

  it('gives two incidents of the same test on the same service different titles', async () => {
    for (let i = 0; i < 2; i++) {
      const experiment = await createExperiment(server, abortingSpec());
      await startExperiment(server, experiment.id, experiment.version);
      server.clock.advance(10_000);
    }
    const titles = (await incidents()).map((i) => i.title);
    expect(titles).toHaveLength(2);
    expect(new Set(titles).size).toBe(2);
    // Both aborted within the same minute: the later one is numbered.
    expect(titles.filter((t) => t.endsWith(' (2)'))).toHaveLength(1);
  });

  it('carries no personal data: no emails, tokens, user names or authors', async () => {
    const tokens = await Promise.all(DEMO_USERS.map((u) => server.tokenFor(u.name)));
    const named = await createExperiment(
      server,
      abortingSpec({
        name: 'Page oncall@example.com when it trips',
        hypothesis: 'Ask dana@example.org',
      }),
    );
    await startExperiment(server, named.id, named.version);
    server.clock.advance(10_000);
    const [incident] = await incidents();
    await server.call('POST', `/api/v1/incidents/${incident!.id}/updates`, {
      as: 'dev-dana',
      body: { text: 'Mail sam@example.com for details' },
    });
    const running = await createExperiment(server, unlimitedErrors);
    await startExperiment(server, running.id, running.version);
    server.clock.advance(2_000);
    const settings = (
      await server.call('PUT', '/api/v1/status/settings', {
        as: 'ada-admin',
        body: { version: 1, enabled: true, tokenRequired: true },
      })
    ).json();

    const response = await server.call('GET', `/api/v1/status?token=${settings.shareToken}`, {
      as: null,
    });
    const json = response.body;
    expect(JSON.parse(json).incidents).toHaveLength(1);
    expect(JSON.parse(json).testing.experiments).toHaveLength(1);
    expect(json).not.toMatch(/[\w.+-]+@[\w-]+\.[a-z]{2,}/i);
    for (const secret of [...tokens, settings.shareToken as string])
      expect(json).not.toContain(secret);
    for (const user of DEMO_USERS) expect(json).not.toContain(user.name);
    expect(json).not.toMatch(
      /"(author|createdBy|startedBy|by|targets|selector|rules|targeting|email)"/,
    );
  });

  it('is closed when turned off, and opens with the share link or a signed-in user when a token is set', async () => {
    const viewerTry = await server.call('PUT', '/api/v1/status/settings', {
      as: 'sam-sre',
      body: { version: 1, enabled: false, tokenRequired: false },
    });
    expect(viewerTry.statusCode).toBe(403);
    await server.call('PUT', '/api/v1/status/settings', {
      as: 'ada-admin',
      body: { version: 1, enabled: false, tokenRequired: false },
    });
    const off = await server.call('GET', '/api/v1/status', { as: null });
    expect([off.statusCode, off.json().error.code]).toEqual([404, 'status_disabled']);

    const stale = await server.call('PUT', '/api/v1/status/settings', {
      as: 'ada-admin',
      body: { version: 1, enabled: true, tokenRequired: true },
    });
    expect(stale.statusCode).toBe(409);
    const { shareToken } = (
      await server.call('PUT', '/api/v1/status/settings', {
        as: 'ada-admin',
        body: { version: 2, enabled: true, tokenRequired: true },
      })
    ).json();
    expect(shareToken).toMatch(/^[\w-]{20,}$/);
    expect((await server.call('GET', '/api/v1/status', { as: null })).json().error.code).toBe(
      'share_token_required',
    );
    expect((await server.call('GET', '/api/v1/status?token=wrong', { as: null })).statusCode).toBe(
      403,
    );
    expect(
      (await server.call('GET', `/api/v1/status?token=${shareToken}`, { as: null })).statusCode,
    ).toBe(200);
    expect((await server.call('GET', '/api/v1/status', { as: 'vic-viewer' })).statusCode).toBe(200);

    const audit = (await server.call('GET', '/api/v1/audit?action=status.settings')).json().entries;
    expect(audit).toHaveLength(2);
    expect(JSON.stringify(audit)).not.toContain(shareToken);
  });
});

describe('history across restarts', () => {
  it('keeps the daily rollups in the SQLite file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'faultline-status-'));
    const file = path.join(dir, 'faultline.sqlite');
    try {
      const clock = new ManualClock(Date.UTC(2025, 0, 6, 9, 0, 0));
      const first = await buildApp({ database: file, clock, sampleData: false });
      const token = (
        await first.app.inject({
          method: 'POST',
          url: '/api/v1/session',
          payload: { user: 'sam-sre' },
        })
      ).json().token;
      const headers = { authorization: `Bearer ${token}` };
      const created = (
        await first.app.inject({
          method: 'POST',
          url: '/api/v1/experiments',
          headers,
          payload: unlimitedErrors as Record<string, unknown>,
        })
      ).json();
      await first.app.inject({
        method: 'POST',
        url: `/api/v1/experiments/${created.id}/start`,
        headers,
        payload: { version: created.version },
      });
      const experimentInProduction = (
        await first.app.inject({
          method: 'POST',
          url: '/api/v1/experiments',
          headers,
          payload: { ...unlimitedErrors, environment: 'production' } as Record<string, unknown>,
        })
      ).json();
      await first.app.inject({
        method: 'POST',
        url: `/api/v1/experiments/${experimentInProduction.id}/start`,
        headers,
        payload: { version: experimentInProduction.version, confirmEnvironment: 'production' },
      });
      clock.advance(30_000);
      await first.app.close();

      const second = await buildApp({ database: file, clock, sampleData: false, ticking: false });
      const status: StatusResponse = (
        await second.app.inject({ method: 'GET', url: '/api/v1/status' })
      ).json();
      const checkout = status.services.find((s) => s.service === 'checkout')!;
      expect(checkout.history.at(-1)).toMatchObject({ day: '2025-01-06', state: 'outage' });
      // Time not yet written when the server stopped was written as it closed.
      expect(checkout.history.at(-1)?.outageMs).toBeGreaterThan(0);
      expect(checkout.environments.every((e) => e.state === null)).toBe(true);
      await second.app.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
