// Named modules, not the domain's index: the public status page loads this file.
import { incidentListSchema, incidentSchema } from '@/domain/incidents';
import { statusResponseSchema, statusSettingsSchema } from '@/domain/status';
import type { StatusCapability } from '../capabilities/status';
import { createHttpClient, type HttpBackendOptions, type HttpClient } from './client';

const incidentPath = (id: string, rest: string) =>
  `/api/v1/incidents/${encodeURIComponent(id)}${rest}`;

export function statusHttp(client: HttpClient): StatusCapability {
  return {
    status: (shareToken, options = {}) =>
      client.json('GET', '/api/v1/status', statusResponseSchema, {
        query: { token: shareToken ?? undefined },
        ...options,
      }),
    statusSettings: () => client.json('GET', '/api/v1/status/settings', statusSettingsSchema),
    updateStatusSettings: (settings) =>
      client.json('PUT', '/api/v1/status/settings', statusSettingsSchema, { body: settings }),
    listIncidents: async () =>
      (await client.json('GET', '/api/v1/incidents', incidentListSchema)).incidents,
    addIncidentUpdate: (id, text) =>
      client.json('POST', incidentPath(id, '/updates'), incidentSchema, { body: { text } }),
    resolveIncident: (id, version, text) =>
      client.json('POST', incidentPath(id, '/resolve'), incidentSchema, {
        body: { version, ...(text ? { text } : {}) },
      }),
  };
}

/**
 * The public status page's source: only the status part of the adapter over its own
 * client, so the standalone page loads no other capability's code.
 */
export function createHttpStatusSource(
  options: Omit<HttpBackendOptions, 'getToken'>,
): Pick<StatusCapability, 'status'> {
  return statusHttp(createHttpClient({ ...options, getToken: () => null }));
}

/**
 * The Atom feed of the status page's incidents and planned maintenance, for a feed reader:
 * it carries the share link's token, as the page's own requests do.
 */
export function statusFeedUrl(baseUrl: string, shareToken: string | null): string {
  const path = `${baseUrl}/api/v1/status/feed.atom`;
  return shareToken === null ? path : `${path}?token=${encodeURIComponent(shareToken)}`;
}
