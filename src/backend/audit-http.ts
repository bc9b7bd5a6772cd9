import { auditListSchema, type AuditEntry, type AuditFilterInput } from '@/domain';
import { attachmentName, type DownloadedFile } from './gamedays-http';
import type { HttpClient, Query } from './http-backend';

export interface AuditApi {
  /** Newest first, filtered (person, action, experiment, flag, time range). */
  auditLog(filter: AuditFilterInput, options?: { signal?: AbortSignal }): Promise<AuditEntry[]>;
  /** The same rows as CSV, for a spreadsheet. */
  exportAuditCsv(filter: AuditFilterInput): Promise<DownloadedFile>;
}

function toQuery(filter: AuditFilterInput): Query {
  const query: Query = {};
  for (const [key, value] of Object.entries(filter)) {
    if (value !== undefined && value !== null && value !== '')
      query[key] = typeof value === 'number' ? value : String(value);
  }
  return query;
}

export function auditHttp(client: HttpClient): AuditApi {
  return {
    auditLog: async (filter, options = {}) =>
      (
        await client.json('GET', '/api/v1/audit', auditListSchema, {
          query: toQuery(filter),
          ...options,
        })
      ).entries,
    exportAuditCsv: async (filter) => {
      const { limit: _limit, before: _before, ...rest } = filter;
      const response = await client.open('/api/v1/audit/export', {
        query: toQuery(rest),
        headers: { accept: 'text/csv' },
        timeoutMs: 60_000,
      });
      return {
        fileName: attachmentName(response, 'faultline-audit.csv'),
        text: await response.text(),
      };
    },
  };
}
