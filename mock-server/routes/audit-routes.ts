import type { FastifyInstance } from 'fastify';
import { auditFilterSchema, type AuditEntry } from '../../src/domain';
import { queryAudit } from '../audit/audit-query';
import type { CoreContext } from '../context';
import { parseWith } from '../parse';

export async function auditRoutes(app: FastifyInstance, ctx: CoreContext): Promise<void> {
  app.get('/api/v1/audit', async (request): Promise<{ entries: AuditEntry[] }> => {
    ctx.requireAction(request, 'read');
    // Filters (person, action, experiment, flag, time range) and paging: audit/audit-query.ts.
    return { entries: queryAudit(ctx.db, parseWith(auditFilterSchema, request.query)) };
  });
}
