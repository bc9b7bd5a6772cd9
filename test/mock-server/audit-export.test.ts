import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AUDIT_EXPORT_PAGE_ROWS,
  AUDIT_EXPORT_READ_ROWS,
} from '../../mock-server/audit/audit-export-routes';
import { queryAudit } from '../../mock-server/audit/audit-query';
import { auditCsv, type AuditFilter } from '../../src/domain';
import { testServer, type TestServer } from './test-server';

const filter = (given: Partial<AuditFilter> & { limit: number }): AuditFilter => ({
  actor: undefined,
  action: undefined,
  experimentId: undefined,
  flagKey: undefined,
  ...given,
});
const ROWS = AUDIT_EXPORT_PAGE_ROWS * 4 + 37;
let server: TestServer;
afterEach(async () => {
  await server.app.close();
});

/** `ROWS` audit rows with sizeable, awkward before/after values (commas, quotes, line breaks). */
async function withRows(): Promise<TestServer> {
  server = await testServer({ ticking: false });
  for (let i = 0; i < ROWS; i++) {
    server.context.audit.append({
      at: server.clock.now() + i,
      actor: i % 2 ? 'dev-dana' : 'sam-sre',
      role: i % 2 ? 'developer' : 'sre',
      action: 'flag.update',
      targetType: 'flag',
      targetId: `flag-${i}`,
      before: { note: `row ${i}, "quoted"\nnext line`, padding: 'x'.repeat(2000) },
      after: { note: `row ${i} after`, list: [i, i + 1] },
    });
  }
  return server;
}

function getOverSocket(url: string, token: string) {
  return new Promise<{ headers: http.IncomingHttpHeaders; body: string; chunks: number }>(
    (resolve, reject) => {
      http
        .get(url, { headers: { authorization: `Bearer ${token}` } }, (response) => {
          let body = '';
          let chunks = 0;
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            chunks++;
            body += chunk;
          });
          response.on('end', () => resolve({ headers: response.headers, body, chunks }));
        })
        .on('error', reject);
    },
  );
}

describe('the audit CSV export', () => {
  it('streams every row, newest first, exactly as the whole log reads as CSV', async () => {
    await withRows();
    const all = queryAudit(server.context.db, filter({ limit: 100_000 }));
    const address = await server.app.listen({ host: '127.0.0.1', port: 0 });
    const response = await getOverSocket(
      `${address}/api/v1/audit/export`,
      await server.tokenFor('vic-viewer'),
    );
    expect(response.headers['content-type']).toContain('text/csv');
    // Sent as it is read, page by page: no length known up front.
    expect(response.headers['content-length']).toBeUndefined();
    expect(response.headers['transfer-encoding']).toBe('chunked');
    expect(response.body).toBe(auditCsv(all));
    expect(all.length).toBeGreaterThanOrEqual(ROWS);
  });

  it('keeps the filter and the row limit across pages', async () => {
    await withRows();
    const limit = AUDIT_EXPORT_PAGE_ROWS * 2 + 5;
    const response = await server.call('GET', `/api/v1/audit/export?actor=dev-dana&limit=${limit}`);
    expect(response.statusCode).toBe(200);
    const expected = queryAudit(server.context.db, filter({ actor: 'dev-dana', limit }));
    expect(expected).toHaveLength(limit);
    expect(response.body).toBe(auditCsv(expected));
  });

  it('goes on past more unreadable rows in a row than one read takes', async () => {
    await withRows();
    const unreadable = AUDIT_EXPORT_READ_ROWS + 5;
    // Rows an older version could have written: `at` is not a number, so each is skipped.
    server.context.db
      .prepare(
        "UPDATE audit SET at = 'yesterday' WHERE id IN (SELECT id FROM audit ORDER BY id DESC LIMIT ? OFFSET 50)",
      )
      .run(unreadable);
    const all = queryAudit(server.context.db, filter({ limit: 100_000 }));
    expect(all.length).toBeGreaterThanOrEqual(ROWS - unreadable);
    const response = await server.call('GET', '/api/v1/audit/export');
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe(auditCsv(all));
  });
});
