import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { auditFilterSchema, auditListSchema } from '../../src/domain';
import { queryAudit } from '../audit/audit-query';
import type { CoreContext } from '../context';
import { answers } from '../route-schemas';

export async function auditRoutes(app: FastifyInstance, ctx: CoreContext): Promise<void> {
  // Filters (person, action, experiment, flag, time range) and paging: audit/audit-query.ts.
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/audit',
    {
      config: { action: 'read' },
      schema: { querystring: auditFilterSchema, response: answers({ 200: auditListSchema }) },
    },
    async (request) => ({
      entries: queryAudit(ctx.db, request.query, (text) => ctx.identity.namesMatching(text)),
    }),
  );
}
