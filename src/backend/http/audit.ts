import { auditListSchema } from '@/domain/audit';
import type { AuditFilterInput } from '@/domain/audit-filter';
import type { AuditCapability } from '../capabilities/audit';
import { attachmentName } from './attachment-name';
import type { HttpClient, Query } from './client';

function toQuery(filter: AuditFilterInput): Query {
  const query: Query = {};
  for (const [key, value] of Object.entries(filter)) {
    if (value !== undefined && value !== null && value !== '')
      query[key] = typeof value === 'number' ? value : String(value);
  }
  return query;
}

export function auditHttp(client: HttpClient): AuditCapability {
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
