import type { FastifyInstance } from 'fastify';
import { auditCsv, auditExportFilterSchema } from '../../src/domain';
import type { CoreContext } from '../context';
import { body } from '../errors';
import { parseWith } from '../parse';
import { queryAudit } from './audit-query';

/**
 * The audit log's CSV export, and a plain refusal for every attempt to change it: the log
 * is append-only, written only by the server in the transaction of each change.
 */
export async function auditExportRoutes(app: FastifyInstance, ctx: CoreContext): Promise<void> {
  app.get('/api/v1/audit/export', async (request, reply) => {
    ctx.requireAction(request, 'read');
    const filter = parseWith(auditExportFilterSchema, request.query);
    const day = new Date(ctx.clock.now()).toISOString().slice(0, 10);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="faultline-audit-${day}.csv"`)
      .send(auditCsv(queryAudit(ctx.db, filter)));
  });

  for (const url of ['/api/v1/audit', '/api/v1/audit/:id']) {
    app.route({
      method: ['POST', 'PUT', 'PATCH', 'DELETE'],
      url,
      handler: async (request, reply) => {
        ctx.requireUser(request);
        return reply
          .status(405)
          .header('allow', 'GET')
          .send(body('method_not_allowed', 'the audit log cannot be changed or deleted'));
      },
    });
  }
}
