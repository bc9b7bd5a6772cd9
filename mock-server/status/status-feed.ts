import {
  currentSummary,
  plainUtcTime,
  updateLine,
  type PlannedMaintenance,
  type PublicIncident,
} from '../../src/domain';

/** Where the feed and the page it describes live, and the share token a link needs, if any. */
interface FeedPlace {
  /** "http://127.0.0.1:4400" */
  origin: string;
  shareToken: string | null;
}

/** Feed and entry ids: tag URIs (RFC 4151), the same for an incident however the page is reached. */
const TAG = 'tag:faultline,2025:';

/** Characters XML 1.0 cannot carry at all, even escaped: people type text, and paste it. */
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDFFF]/gu;

function escapeXml(text: string): string {
  return text
    .replace(NOT_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const time = (at: number) => new Date(at).toISOString();

function withToken(url: string, token: string | null): string {
  return token === null ? url : `${url}?token=${encodeURIComponent(token)}`;
}

interface Entry {
  id: string;
  title: string;
  published: number;
  updated: number;
  link: string;
  content: string;
}

function incidentEntry(incident: PublicIncident, page: string): Entry {
  const lines = [
    `${incident.state === 'open' ? 'Open' : 'Resolved'}: ${incident.service} in ${incident.environment}.`,
    currentSummary(incident),
    ...incident.updates.map((u) => `${plainUtcTime(u.at)}: ${updateLine(u)}`),
  ];
  const updated = Math.max(
    incident.openedAt,
    incident.resolvedAt ?? 0,
    ...incident.updates.map((u) => u.at),
  );
  return {
    id: `${TAG}incident:${incident.id}`,
    title: incident.title,
    published: incident.openedAt,
    updated,
    link: `${page}#incident-${incident.id}`,
    content: lines.join('\n\n'),
  };
}

function maintenanceEntry(planned: PlannedMaintenance, page: string): Entry {
  const window = `${plainUtcTime(planned.startsAt)} to ${plainUtcTime(planned.endsAt)}`;
  return {
    id: `${TAG}maintenance:${planned.id}`,
    title: `Planned maintenance: ${planned.title}, ${window}`,
    published: planned.announcedAt,
    updated: planned.announcedAt,
    link: `${page}#maintenance-${planned.id}`,
    content: `${planned.state === 'scheduled' ? 'Scheduled' : 'In progress'}, ${window}.\n\n${planned.summary}`,
  };
}

function entryXml(entry: Entry): string {
  return [
    '  <entry>',
    `    <id>${escapeXml(entry.id)}</id>`,
    `    <title type="text">${escapeXml(entry.title)}</title>`,
    `    <published>${time(entry.published)}</published>`,
    `    <updated>${time(entry.updated)}</updated>`,
    `    <link rel="alternate" type="text/html" href="${escapeXml(entry.link)}"/>`,
    `    <content type="text">${escapeXml(entry.content)}</content>`,
    '  </entry>',
  ].join('\n');
}

/**
 * The public page's incidents and planned maintenance as an Atom 1.0 feed (RFC 4287), newest
 * change first, so any feed reader or chat tool can follow the page. It carries what the page
 * shows and nothing more.
 */
export function statusFeed(
  status: {
    generatedAt: number;
    incidents: readonly PublicIncident[];
    maintenance: readonly PlannedMaintenance[];
  },
  place: FeedPlace,
): string {
  const page = withToken(`${place.origin}/status`, place.shareToken);
  const self = withToken(`${place.origin}/api/v1/status/feed.atom`, place.shareToken);
  const entries = [
    ...status.incidents.map((i) => incidentEntry(i, page)),
    ...status.maintenance.map((m) => maintenanceEntry(m, page)),
  ].sort((a, b) => b.updated - a.updated);
  // The feed changes when an entry does; with no entries, it is as of now.
  const updated = entries[0]?.updated ?? status.generatedAt;
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${TAG}status</id>`,
    '  <title type="text">Faultline status: incidents and planned maintenance</title>',
    `  <updated>${time(updated)}</updated>`,
    '  <author><name>Faultline</name></author>',
    `  <link rel="self" type="application/atom+xml" href="${escapeXml(self)}"/>`,
    `  <link rel="alternate" type="text/html" href="${escapeXml(page)}"/>`,
    ...entries.map(entryXml),
    '</feed>',
    '',
  ].join('\n');
}
