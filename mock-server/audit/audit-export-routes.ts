import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Readable } from 'node:stream';
import { z } from 'zod';
import {
  apiErrorSchema,
  auditCsvHeader,
  auditCsvLine,
  auditExportFilterSchema,
  type AuditFilter,
} from '../../src/domain';
import type { CoreContext } from '../context';
import { body } from '../errors';
import { answers, idParams } from '../route-schemas';
import { queryAuditPage } from './audit-query';

/** Rows written per turn of the event loop, at most. */
export const AUDIT_EXPORT_PAGE_ROWS = 100;
/** Rows read from SQLite at a time: a page is read a few rows at a time until it is full. */
export const AUDIT_EXPORT_READ_ROWS = 10;
/**
 * CSV text written per turn of the event loop, about (characters): a page ends at the read that
 * passes it. Reading, checking and writing rows costs in proportion to their size, so this bounds
 * a turn however large the rows are (100 rows of 3.6 kB held the loop ~5–9 ms a turn).
 */
const AUDIT_EXPORT_PAGE_CHARS = 64 * 1024;

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
    const lines: string[] = [];
    let chars = 0;
    let rows = 0;
    let exhausted = false;
    while (left > 0 && rows < AUDIT_EXPORT_PAGE_ROWS && chars < AUDIT_EXPORT_PAGE_CHARS) {
      const { entries, read, oldestId } = queryAuditPage(
        ctx.db,
        {
          ...filter,
          limit: Math.min(AUDIT_EXPORT_READ_ROWS, AUDIT_EXPORT_PAGE_ROWS - rows, left),
          ...(before === undefined ? {} : { before }),
        },
        (text) => ctx.identity.namesMatching(text),
      );
      if (oldestId === null) {
        exhausted = true;
        break;
      }
      for (const entry of entries) {
        const line = auditCsvLine(entry);
        lines.push(line);
        chars += line.length;
      }
      // An unreadable row (skipped and reported) counts against the limit, as in the list.
      rows += read;
      left -= read;
      before = oldestId;
    }
    if (lines.length > 0) yield lines.join('');
    if (exhausted) return;
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

  const refused = answers({
    405: apiErrorSchema.describe('The audit log is append-only: only GET is allowed'),
  });
  for (const [url, params] of [
    ['/api/v1/audit', undefined],
    ['/api/v1/audit/:id', idParams],
  ] as const) {
    app.withTypeProvider<ZodTypeProvider>().route({
      method: ['POST', 'PUT', 'PATCH', 'DELETE'],
      url,
      schema: { ...(params ? { params } : {}), response: refused },
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
