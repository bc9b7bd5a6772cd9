import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry, Gameday, Incident } from '../../src/domain';
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

interface Fixture {
  gameday: Gameday;
  incident: Incident;
  experimentId: string;
}

/** A game day around an experiment that aborted (so an incident is open). */
async function fixture(): Promise<Fixture> {
  const experiment = await createExperiment(server, abortingSpec());
  const now = server.clock.now();
  const gameday: Gameday = (
    await server.call('POST', '/api/v1/gamedays', {
      body: {
        title: 'Audit day',
        startsAt: now,
        endsAt: now + 3_600_000,
        experimentIds: [experiment.id],
        runbook: [{ text: 'one' }],
      },
    })
  ).json();
  await startExperiment(server, experiment.id, experiment.version);
  server.clock.advance(10_000);
  const incident: Incident = (await server.call('GET', '/api/v1/incidents')).json().incidents[0];
  return { gameday, incident, experimentId: experiment.id };
}

/** Everything my routes can change, read back through the API. */
async function snapshot(f: Fixture): Promise<string> {
  const reads = [
    '/api/v1/gamedays',
    `/api/v1/gamedays/${f.gameday.id}/timeline`,
    '/api/v1/incidents',
    '/api/v1/status/settings',
  ];
  const bodies = await Promise.all(
    reads.map(async (url) => (await server.call('GET', url, { as: 'ada-admin' })).body),
  );
  return bodies.join('\n');
}

interface MutatingRoute {
  action: string;
  as?: string;
  request(f: Fixture): { method: string; url: string; body?: unknown };
}

const ROUTES: MutatingRoute[] = [
  {
    action: 'gameday.create',
    request: (f) => ({
      method: 'POST',
      url: '/api/v1/gamedays',
      body: { title: 'Another', startsAt: f.gameday.startsAt, endsAt: f.gameday.endsAt },
    }),
  },
  {
    action: 'gameday.update',
    request: (f) => ({
      method: 'PUT',
      url: `/api/v1/gamedays/${f.gameday.id}`,
      body: {
        version: f.gameday.version,
        spec: { title: 'Renamed', startsAt: f.gameday.startsAt, endsAt: f.gameday.endsAt },
      },
    }),
  },
  {
    action: 'gameday.delete',
    request: (f) => ({
      method: 'DELETE',
      url: `/api/v1/gamedays/${f.gameday.id}?version=${f.gameday.version}`,
    }),
  },
  {
    action: 'gameday.runbook.tick',
    request: (f) => ({
      method: 'POST',
      url: `/api/v1/gamedays/${f.gameday.id}/runbook/${f.gameday.runbook[0]!.id}`,
      body: { done: true },
    }),
  },
  {
    action: 'gameday.note',
    as: 'vic-viewer',
    request: (f) => ({
      method: 'POST',
      url: `/api/v1/gamedays/${f.gameday.id}/notes`,
      body: { text: 'A note' },
    }),
  },
  {
    action: 'gameday.findings',
    request: (f) => ({
      method: 'PUT',
      url: `/api/v1/gamedays/${f.gameday.id}/findings`,
      body: { version: f.gameday.version, findings: { broke: 'Payments' } },
    }),
  },
  {
    action: 'incident.update',
    request: (f) => ({
      method: 'POST',
      url: `/api/v1/incidents/${f.incident.id}/updates`,
      body: { text: 'Looking' },
    }),
  },
  {
    action: 'incident.resolve',
    request: (f) => ({
      method: 'POST',
      url: `/api/v1/incidents/${f.incident.id}/resolve`,
      body: { version: f.incident.version },
    }),
  },
  {
    action: 'status.settings',
    as: 'ada-admin',
    request: () => ({
      method: 'PUT',
      url: '/api/v1/status/settings',
      body: { version: 1, enabled: false, tokenRequired: false },
    }),
  },
];

async function send(route: MutatingRoute, f: Fixture) {
  const { method, url, body } = route.request(f);
  return server.call(method, url, { as: route.as ?? 'sam-sre', body });
}

describe('audit rows for every change, in the same transaction', () => {
  it.each(ROUTES.map((r) => [r.action, r] as const))(
    '%s writes exactly one row with who, role, target, before and after',
    async (_action, route) => {
      const f = await fixture();
      const before = server.auditCount();
      const response = await send(route, f);
      expect(response.statusCode, response.body).toBeLessThan(300);
      expect(server.auditCount()).toBe(before + 1);
      const [row] = (await server.call('GET', '/api/v1/audit?limit=1')).json()
        .entries as AuditEntry[];
      expect(row).toMatchObject({
        action: route.action,
        actor: route.as ?? 'sam-sre',
        at: server.clock.now(),
      });
      expect(row?.role).toBe(
        route.as === 'ada-admin' ? 'admin' : route.as === 'vic-viewer' ? 'viewer' : 'sre',
      );
      expect(row?.before !== null || row?.after !== null).toBe(true);
    },
  );

  it.each(ROUTES.map((r) => [r.action, r] as const))(
    '%s changes nothing when its audit row cannot be written',
    async (_action, route) => {
      const f = await fixture();
      const state = await snapshot(f);
      const rows = server.auditCount();
      server.context.db.exec(
        "CREATE TEMP TRIGGER audit_refused BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'audit unavailable'); END",
      );
      const response = await send(route, f);
      server.context.db.exec('DROP TRIGGER audit_refused');
      expect(response.statusCode).toBe(500);
      expect(server.auditCount()).toBe(rows);
      expect(await snapshot(f)).toBe(state);
    },
  );

  it('leaves no row for a change that is refused', async () => {
    const f = await fixture();
    const rows = server.auditCount();
    const stale = await server.call('PUT', `/api/v1/gamedays/${f.gameday.id}/findings`, {
      body: { version: 99, findings: {} },
    });
    const invalid = await server.call('POST', '/api/v1/gamedays', { body: { title: '' } });
    expect([stale.statusCode, invalid.statusCode]).toEqual([409, 400]);
    expect(server.auditCount()).toBe(rows);
  });
});

describe('the audit log cannot be changed', () => {
  it.each([
    ['PUT', '/api/v1/audit'],
    ['DELETE', '/api/v1/audit'],
    ['PATCH', '/api/v1/audit'],
    ['POST', '/api/v1/audit'],
    ['PUT', '/api/v1/audit/1'],
    ['DELETE', '/api/v1/audit/1'],
    ['PATCH', '/api/v1/audit/1'],
  ])('%s %s is refused and every row stays', async (method, url) => {
    await fixture();
    const before = (await server.call('GET', '/api/v1/audit?limit=1000')).json().entries;
    expect(before.length).toBeGreaterThan(0);
    const response = await server.call(method, url, {
      as: 'ada-admin',
      body: method === 'DELETE' ? undefined : { actor: 'nobody' },
    });
    expect([404, 405]).toContain(response.statusCode);
    expect((await server.call('GET', '/api/v1/audit?limit=1000')).json().entries).toEqual(before);
  });
});

describe('audit filters and CSV', () => {
  async function list(query: string): Promise<AuditEntry[]> {
    const response = await server.call('GET', `/api/v1/audit?${query}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json().entries;
  }

  it('filters by person, action family, experiment, flag and time range, newest first', async () => {
    const f = await fixture();
    const other = await createExperiment(server, calmSpec());
    server.clock.advance(60_000);
    const middle = server.clock.now();
    await server.call('POST', `/api/v1/gamedays/${f.gameday.id}/notes`, {
      as: 'dev-dana',
      body: { text: 'later' },
    });

    expect((await list('actor=dev-dana')).map((e) => e.action)).toEqual(['gameday.note']);
    expect((await list('action=gameday')).map((e) => e.action)).toEqual([
      'gameday.note',
      'gameday.create',
    ]);
    expect((await list('action=gameday.note')).map((e) => e.action)).toEqual(['gameday.note']);
    const forExperiment = await list(`experimentId=${f.experimentId}`);
    expect(forExperiment.length).toBeGreaterThan(0);
    expect(
      forExperiment.every((e) => e.targetType === 'experiment' && e.targetId === f.experimentId),
    ).toBe(true);
    expect((await list(`experimentId=${other.id}`)).map((e) => e.action)).toEqual([
      'experiment.create',
    ]);
    expect((await list('flagKey=new-checkout')).map((e) => [e.action, e.targetType])).toEqual([
      ['flag.create', 'flag'],
    ]);
    expect(await list('flagKey=no-such-flag')).toEqual([]);
    expect((await list(`since=${middle}`)).map((e) => e.action)).toEqual(['gameday.note']);
    expect((await list(`until=${middle}`)).some((e) => e.action === 'gameday.note')).toBe(false);
  });

  it('pages with before and limit', async () => {
    await fixture();
    const all = await list('limit=1000');
    const page = await list(`limit=2&before=${all[1]!.id}`);
    expect(page.map((e) => e.id)).toEqual(all.slice(2, 4).map((e) => e.id));
  });

  it.each([
    ['since=yesterday', 'since'],
    ['since=200&until=100', 'until'],
    ['limit=0', 'limit'],
  ])('refuses %s naming %s', async (query, field) => {
    const response = await server.call('GET', `/api/v1/audit?${query}`);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details.issues[0].path).toBe(field);
  });

  it('exports the filtered rows as CSV, quoting what needs it', async () => {
    const f = await fixture();
    await server.call('POST', `/api/v1/gamedays/${f.gameday.id}/notes`, {
      as: 'dev-dana',
      body: { text: '=HYPERLINK("x"), and "quotes"' },
    });
    const response = await server.call('GET', '/api/v1/audit/export?actor=dev-dana');
    expect(response.headers['content-type']).toContain('text/csv');
    expect(response.headers['content-disposition']).toBe(
      'attachment; filename="faultline-audit-2025-01-06.csv"',
    );
    const lines = response.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,time (UTC),person,role,action,target type,target,before,after');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(',dev-dana,developer,gameday.note,gameday,');
    expect(lines[1]).toContain('""text"":""=HYPERLINK(\\""x\\""), and \\""quotes\\""""');
  });
});
