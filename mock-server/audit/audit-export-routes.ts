import type { FastifyInstance } from 'fastify';
import { Readable } from 'node:stream';
import { z } from 'zod';
import {
  auditCsvHeader,
  auditCsvLine,
  auditExportFilterSchema,
  type AuditFilter,
} from '../../src/domain';
import type { CoreContext } from '../context';
import { body } from '../errors';
import { answers } from '../route-schemas';
import { queryAudit } from './audit-query';

/** Rows read and written per turn of the event loop: a page of CSV is a few hundred kB at most. */
export const AUDIT_EXPORT_PAGE_ROWS = 100;

/**
 * The export as CSV text, a page of rows at a time, newest first. The next page is read only when
 * the socket has taken the last one (backpressure), and never in the same turn of the event loop,
 * so a 20 MB download never delays a halt-all. Keyset paging by id: rows written meanwhile
 * (newer ids) do not shift the pages.
 */
async function* auditCsvPages(ctx: CoreContext, filter: AuditFilter): AsyncGenerator<string> {
  yield auditCsvHeader();
  let left = filter.limit;
  let before = filter.before;
  while (left > 0) {
    await new Promise((resolve) => setImmediate(resolve));
    if (!ctx.db.open) return;
    const page = queryAudit(
      ctx.db,
      {
        ...filter,
        limit: Math.min(AUDIT_EXPORT_PAGE_ROWS, left),
        ...(before === undefined ? {} : { before }),
      },
      (text) => ctx.identity.namesMatching(text),
    );
    if (page.length === 0) return;
    yield page.map(auditCsvLine).join('');
    left -= page.length;
    before = page[page.length - 1]?.id;
  }
}

/**
 * The audit log's CSV export, and a plain refusal for every attempt to change it: the log
 * is append-only, written only by the server in the transaction of each change.
 */
export async function auditExportRoutes(app: FastifyInstance, ctx: CoreContext): Promise<void> {
  // Typed by hand: the answer is a stream of CSV pages, not the string the schema documents.
  app.get<{ Querystring: AuditFilter }>(
    '/api/v1/audit/export',
    {
      config: { action: 'read' },
      schema: {
        querystring: auditExportFilterSchema,
        response: answers({ 200: { content: { 'text/csv': { schema: z.string() } } } }),
      },
    },
    async (request, reply) => {
      const day = new Date(ctx.clock.now()).toISOString().slice(0, 10);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="faultline-audit-${day}.csv"`)
        .send(Readable.from(auditCsvPages(ctx, request.query), { objectMode: false }));
    },
  );

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
