import {
  incidentListSchema,
  incidentSchema,
  statusResponseSchema,
  statusSettingsSchema,
  type Incident,
  type StatusResponse,
  type StatusSettings,
  type UpdateStatusSettings,
} from '@/domain';
import type { HttpClient } from './http-backend';

export interface StatusApi {
  /** The public status page's data; `shareToken` when the page was opened from a share link. */
  status(shareToken?: string | null, options?: { signal?: AbortSignal }): Promise<StatusResponse>;
  statusSettings(): Promise<StatusSettings>;
  updateStatusSettings(settings: UpdateStatusSettings): Promise<StatusSettings>;
  listIncidents(): Promise<Incident[]>;
  addIncidentUpdate(id: string, text: string): Promise<Incident>;
  resolveIncident(id: string, version: number, text?: string): Promise<Incident>;
}

const incidentPath = (id: string, rest: string) =>
  `/api/v1/incidents/${encodeURIComponent(id)}${rest}`;

export function statusHttp(client: HttpClient): StatusApi {
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
