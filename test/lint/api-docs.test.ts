import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declaredRoutes, OPENAPI_PATH } from '../../mock-server/route-schemas';
import { testServer, type TestServer } from '../mock-server/test-server';

const repo = path.resolve(import.meta.dirname, '../..');
const apiDoc = readFileSync(path.join(repo, 'docs/api.md'), 'utf8');

/** The "METHOD path" of every row of docs/api.md's route tables, query strings left off. */
function documentedRoutes(markdown: string): string[] {
  const row = /^\| (GET|POST|PUT|PATCH|DELETE) \| `([^`?]+)[^`]*` \|/gm;
  return [...markdown.matchAll(row)].map(([, method, url]) => `${method} ${url}`);
}

/** The `…Schema` names docs/api.md points readers to for a shape. */
function namedSchemas(markdown: string): string[] {
  return [...new Set([...markdown.matchAll(/`([a-zA-Z]+Schema)`/g)].map(([, name]) => name!))];
}

/** Every TypeScript source of src/domain, as one text. */
function domainSource(): string {
  const dir = path.join(repo, 'src/domain');
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => readFileSync(path.join(dir, file), 'utf8'))
    .join('\n');
}

let server: TestServer;
beforeAll(async () => {
  server = await testServer();
  await server.app.ready();
});
afterAll(() => server.app.close());

describe('docs/api.md', () => {
  it('points to the OpenAPI document the server serves for the shapes', () => {
    expect(apiDoc).toContain(`(http://127.0.0.1:4400${OPENAPI_PATH})`);
    expect(declaredRoutes(server.app).map((r) => `${r.method} ${r.url}`)).toContain(
      `GET ${OPENAPI_PATH}`,
    );
  });

  it('lists only routes the server declares', () => {
    const documented = documentedRoutes(apiDoc);
    expect(documented.length).toBeGreaterThan(40);
    const declared = new Set(declaredRoutes(server.app).map((r) => `${r.method} ${r.url}`));
    expect(documented.filter((route) => !declared.has(route))).toEqual([]);
  });

  it('names only schemas that src/domain declares', () => {
    const names = namedSchemas(apiDoc);
    expect(names.length).toBeGreaterThan(40);
    const source = domainSource();
    const declares = (name: string) => new RegExp(`(const|function) ${name}\\b`).test(source);
    expect(names.filter((name) => !declares(name))).toEqual([]);
  });

  it('reads a route row with its query string and parameters', () => {
    const table = [
      '| GET | `/api/v1/metrics?service=&since=` | `metricHistorySchema` |',
      '| DELETE | `/api/v1/experiments/:id?version=` | — | 204 |',
      '| verb | `/not/a/route` | — |',
    ].join('\n');
    expect(documentedRoutes(table)).toEqual([
      'GET /api/v1/metrics',
      'DELETE /api/v1/experiments/:id',
    ]);
  });
});
