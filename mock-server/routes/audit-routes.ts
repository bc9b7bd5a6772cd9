import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AuditEntry } from '../../src/domain';
import type { CoreContext } from '../context';
import { parseWith } from '../parse';

const auditQuerySchema = z.object({
  limit: z.coerce.number().int('limit must be a whole number').min(1, 'limit is at least 1').max(1000, 'limit is at most 1000').default(100),
});

export async function auditRoutes(app: FastifyInstance, ctx: CoreContext): Promise<void> {
  app.get('/api/v1/audit', async (request): Promise<{ entries: AuditEntry[] }> => {
    ctx.requireAction(request, 'read');
    const { limit } = parseWith(auditQuerySchema, request.query);
    return { entries: ctx.audit.list(limit) };
  });
}
