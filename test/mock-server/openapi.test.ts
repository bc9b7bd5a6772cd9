import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { declaredRoutes, OPENAPI_PATH } from '../../mock-server/route-schemas';
import { testServer } from './test-server';

/** Fastify's `/flags/:key` as OpenAPI writes it: `/flags/{key}`. */
const openapiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

describe('the OpenAPI document', () => {
  it('is served without signing in and validates as OpenAPI 3', async () => {
    const server = await testServer();
    const response = await server.call('GET', OPENAPI_PATH, { as: null });
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toMatch(/^3\./);
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    await server.app.close();
    // The validator compiles the OpenAPI 3.1 meta-schema first: seconds on a busy machine.
  }, 30_000);

  it('lists every route the server registers, with its method', async () => {
    const server = await testServer();
    const document = (await server.call('GET', OPENAPI_PATH, { as: null })).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    const routes = declaredRoutes(server.app);
    expect(routes.length).toBeGreaterThan(40);
    const missing = routes
      .filter((route) => !document.paths[openapiPath(route.url)]?.[route.method.toLowerCase()])
      .map((route) => `${route.method} ${route.url}`);
    expect(missing).toEqual([]);
    await server.app.close();
  });

  it('describes a route with its request body and its error answer', async () => {
    const server = await testServer();
    const document = (await server.call('GET', OPENAPI_PATH, { as: null })).json();
    const create = document.paths['/api/v1/experiments'].post;
    const body = create.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(expect.arrayContaining(['name', 'service', 'environment']));
    expect(create.responses['201'].content['application/json'].schema.properties).toHaveProperty(
      'id',
    );
    expect(create.responses['4XX'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/Error',
    );
    await server.app.close();
  });

  it("describes OFREP's requests and answers in OFREP's own shapes", async () => {
    const server = await testServer();
    const document = (await server.call('GET', OPENAPI_PATH, { as: null })).json();
    const single = document.paths['/ofrep/v1/evaluate/flags/{key}'].post;
    expect(single.requestBody.content['application/json'].schema.required).toEqual(['context']);
    expect(single.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ in: 'header', name: 'x-api-key' })]),
    );
    const failure = single.responses['400'].content['application/json'].schema;
    expect(failure.required).toEqual(['key', 'errorCode']);
    expect(
      single.responses['200'].content['application/json'].schema.properties.reason.enum,
    ).toContain('DISABLED');
    const bulk = document.paths['/ofrep/v1/evaluate/flags'].post;
    expect(bulk.responses['200'].content['application/json'].schema.required).toEqual(['flags']);
    expect(bulk.responses).toHaveProperty('304');
    expect(document.components.schemas.OfrepStreamEvent.required).toEqual(['type']);
    await server.app.close();
  });

  it('describes the refusal of every change to the audit log', async () => {
    const server = await testServer();
    const document = (await server.call('GET', OPENAPI_PATH, { as: null })).json();
    for (const path of ['/api/v1/audit', '/api/v1/audit/{id}'])
      for (const method of ['post', 'put', 'patch', 'delete'])
        expect(
          document.paths[path][method].responses['405'].content['application/json'].schema.$ref,
          `${method} ${path}`,
        ).toBe('#/components/schemas/Error');
    await server.app.close();
  });
});
