import { createRequire } from 'node:module';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/domain';
import {
  abortingSpec,
  calmSpec,
  createExperiment,
  startExperiment,
  startTestServer,
  type TestServer,
} from './gamedays-test-app';

const ATOM = 'http://www.w3.org/2005/Atom';
/** RFC 3339 as Atom's date constructs require it (RFC 4287 §3.3). */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.app.close();
});

// jsdom ships no types; its window's DOMParser is typed by the DOM library.
const { JSDOM } = createRequire(import.meta.url)('jsdom') as {
  JSDOM: new (html: string) => { window: Window & typeof globalThis };
};

/** Parses with a real XML parser (jsdom's, on saxes); a malformed document fails the test. */
function parseAtom(xml: string): Document {
  const { DOMParser } = new JSDOM('').window;
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  expect(doc.getElementsByTagName('parsererror')).toHaveLength(0);
  return doc;
}

const children = (parent: Element, name: string) =>
  [...parent.children].filter((c) => c.namespaceURI === ATOM && c.localName === name);
const text = (parent: Element, name: string) => children(parent, name)[0]?.textContent ?? null;

/** Checks what RFC 4287 requires of a feed and of each entry; returns the entries. */
function checkAtom(doc: Document): Element[] {
  const feed = doc.documentElement;
  expect([feed.namespaceURI, feed.localName]).toEqual([ATOM, 'feed']);
  for (const name of ['id', 'title', 'updated', 'author'])
    expect(children(feed, name)).toHaveLength(1);
  expect(text(feed, 'updated')).toMatch(RFC3339);
  expect(text(children(feed, 'author')[0]!, 'name')).toBe('Faultline');
  const entries = children(feed, 'entry');
  for (const entry of entries) {
    for (const name of ['id', 'title', 'updated']) expect(children(entry, name)).toHaveLength(1);
    expect(text(entry, 'updated')).toMatch(RFC3339);
    expect(text(entry, 'published')).toMatch(RFC3339);
    expect(text(entry, 'id')).toMatch(/^tag:faultline,2025:/);
    // No content of its own would require an alternate link; it has both.
    expect(children(entry, 'content')[0]?.getAttribute('type')).toBe('text');
    expect(children(entry, 'link')[0]?.getAttribute('rel')).toBe('alternate');
  }
  const ids = entries.map((e) => text(e, 'id'));
  expect(new Set(ids).size).toBe(ids.length);
  return entries;
}

async function feed(query = '') {
  const response = await server.call('GET', `/api/v1/status/feed.atom${query}`, { as: null });
  return response;
}

async function openIncident(): Promise<Incident> {
  const experiment = await createExperiment(server, abortingSpec());
  await startExperiment(server, experiment.id, experiment.version);
  server.clock.advance(10_000);
  const [incident] = (await server.call('GET', '/api/v1/incidents')).json().incidents;
  expect(incident).toBeDefined();
  return incident;
}

describe('the status page’s Atom feed', () => {
  it('is valid Atom 1.0 with an entry per incident, updated when the incident is resolved', async () => {
    const incident = await openIncident();
    const first = await feed();
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    const entries = checkAtom(parseAtom(first.body));
    expect(entries).toHaveLength(1);
    let entry = entries[0];
    expect(text(entry!, 'title')).toBe(incident.title);
    expect(text(entry!, 'id')).toBe(`tag:faultline,2025:incident:${incident.id}`);
    expect(text(entry!, 'content')).toMatch(/^Open: checkout in staging\./);
    expect(text(entry!, 'content')).not.toMatch(/5xx|http_|error_rate/);
    expect(children(entry!, 'link')[0]?.getAttribute('href')).toMatch(
      new RegExp(`/status#incident-${incident.id}$`),
    );

    server.clock.advance(60_000);
    await server.call('POST', `/api/v1/incidents/${incident.id}/resolve`, {
      body: { version: incident.version, text: 'Retry budget lowered.' },
    });
    [entry] = checkAtom(parseAtom((await feed()).body));
    expect(text(entry!, 'content')).toMatch(/^Resolved: checkout in staging\./);
    expect(text(entry!, 'content')).toContain('Resolved: Retry budget lowered.');
    expect(text(entry!, 'content')).not.toMatch(/looking into/);
    expect(Date.parse(text(entry!, 'updated')!)).toBe(server.clock.now());
    expect(text(entry!, 'published')).toBe(new Date(incident.openedAt).toISOString());
  });

  it('lists planned maintenance, and keeps what people typed as text, even markup and control characters', async () => {
    const inProduction = await createExperiment(server, {
      ...calmSpec(),
      environment: 'production',
    });
    const startsAt = server.clock.now() + 3_600_000;
    const created = await server.call('POST', '/api/v1/gamedays', {
      body: {
        title: 'Catalog <b>day</b> & "friends" \u0007',
        startsAt,
        endsAt: startsAt + 3_600_000,
        experimentIds: [inProduction.id],
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const entries = checkAtom(parseAtom((await feed()).body));
    expect(entries.map((e) => text(e, 'title'))).toEqual([
      expect.stringMatching(/^Planned maintenance: Catalog <b>day<\/b> & "friends" ?, /),
    ]);
    expect(text(entries[0]!, 'content')).toMatch(
      /^Scheduled, .* to .*\.\n\nPlanned resilience testing of catalog in production\./,
    );
  });

  it('answers an empty feed when nothing happened', async () => {
    const entries = checkAtom(parseAtom((await feed()).body));
    expect(entries).toEqual([]);
  });

  it('opens with the share link’s token when the page needs one, and links back with it', async () => {
    const { shareToken } = (
      await server.call('PUT', '/api/v1/status/settings', {
        as: 'ada-admin',
        body: { version: 1, enabled: true, tokenRequired: true },
      })
    ).json();
    const closed = await feed();
    expect([closed.statusCode, closed.json().error.code]).toEqual([403, 'share_token_required']);
    expect((await feed('?token=wrong')).statusCode).toBe(403);
    const open = await feed(`?token=${shareToken}`);
    expect(open.statusCode).toBe(200);
    const root = checkAtom(parseAtom(open.body)) && parseAtom(open.body).documentElement;
    const self = children(root, 'link').find((l) => l.getAttribute('rel') === 'self');
    expect(self?.getAttribute('href')).toMatch(
      new RegExp(`/api/v1/status/feed\\.atom\\?token=${shareToken}$`),
    );

    await server.call('PUT', '/api/v1/status/settings', {
      as: 'ada-admin',
      body: { version: 2, enabled: false, tokenRequired: false },
    });
    expect((await feed(`?token=${shareToken}`)).statusCode).toBe(404);
  });
});
