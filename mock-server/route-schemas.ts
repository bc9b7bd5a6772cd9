import fastifySwagger from '@fastify/swagger';
import type { FastifyInstance, FastifySchema, FastifySchemaCompiler } from 'fastify';
import {
  createJsonSchemaTransform,
  createJsonSchemaTransformObject,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiErrorSchema, fieldIssues, type FieldIssue } from '../src/domain';
import { jsonValueSchema, ofrepStreamEventSchema } from '../src/domain/flags';
import { validationFailed } from './errors';

export const OPENAPI_PATH = '/api/v1/openapi.json';

/** What routes with an id, a key or a version in the URL declare. */
export const idParams = z.object({ id: z.string().min(1) });
export const keyParams = z.object({ key: z.string().min(1) });
export const versionQuery = z.object({
  version: z.coerce
    .number({ error: 'version must be a number' })
    .int('version must be a whole number'),
});

/** A route's answers: its success bodies by status, and the error body for every 4xx. */
type Answer = z.ZodType | { content: Record<string, { schema: z.ZodType }> };
export function answers<T extends Record<number, Answer>>(
  ok: T,
): T & { '4xx': typeof apiErrorSchema } {
  return { ...ok, '4xx': apiErrorSchema };
}

/** The answer of a route that answers nothing (204). */
export const noContent = z.undefined().describe('No content');

/**
 * Schemas the OpenAPI document names once under components (recursive ones must be: an inline
 * copy would refer to itself by a pointer into the route's own schema).
 */
const components = z.registry<{ id: string }>();
components.add(jsonValueSchema, { id: 'JsonValue' });
components.add(apiErrorSchema, { id: 'Error' });
// The data of each event on OFREP's event stream, which an SSE answer's schema cannot name.
components.add(ofrepStreamEventSchema, { id: 'OfrepStreamEvent' });

/**
 * Requests are checked with the route's zod schemas and answered as every other bad request:
 * 400 naming each field at fault. A request without a body is read as `{}`, as before.
 */
const validatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema, httpPart }) =>
  (value) => {
    const parsed = schema.safeParse(httpPart === 'body' ? (value ?? {}) : value);
    if (parsed.success) return { value: parsed.data };
    return { error: validationFailed(fieldIssues(parsed.error)) };
  };

/**
 * Answers are written as JSON, as they were before routes declared them: the declared response
 * schemas document the API and a contract test holds every route to them, but a mismatch never
 * turns an answer (a halt, say) into a 500.
 */
const serializerCompiler = () => (data: unknown) => JSON.stringify(data);

/** Where `__proto__` (or `constructor.prototype`) sits in a parsed JSON value, if anywhere. */
function prototypeKeyPaths(value: unknown): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const pending: { value: unknown; path: string[] }[] = [{ value, path: [] }];
  while (pending.length > 0 && issues.length < 10) {
    const next = pending.pop();
    if (!next || next.value === null || typeof next.value !== 'object') continue;
    for (const [key, child] of Object.entries(next.value)) {
      const path = [...next.path, key];
      const poisoned =
        key === '__proto__' ||
        (key === 'constructor' &&
          child !== null &&
          typeof child === 'object' &&
          Object.hasOwn(child, 'prototype'));
      if (poisoned)
        issues.push({ path: path.join('.'), message: `"${key}" is not allowed as a key` });
      else pending.push({ value: child, path });
    }
  }
  return issues;
}

/** JSON bodies: bad JSON is a 400, and so is a key that would reach an object's prototype. */
function installJsonParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, raw, done) => {
    const text = typeof raw === 'string' ? raw : raw.toString('utf8');
    if (text.trim() === '')
      return done(
        validationFailed([{ path: '', message: 'the body is empty: send a JSON object' }]),
      );
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      const reason = error instanceof Error ? error.message : 'unreadable';
      return done(
        validationFailed([{ path: '', message: `the body is not valid JSON (${reason})` }]),
      );
    }
    const poisoned = prototypeKeyPaths(parsed);
    if (poisoned.length > 0) return done(validationFailed(poisoned));
    return done(null, parsed);
  });
}

/** A route as registered: its method(s), URL pattern and declared schemas. */
interface DeclaredRoute {
  method: string;
  url: string;
  schema: FastifySchema | undefined;
}
const routesOf = new WeakMap<FastifyInstance, DeclaredRoute[]>();

/** Every route the server registered (HEAD routes Fastify adds for GETs left out). */
export function declaredRoutes(app: FastifyInstance): readonly DeclaredRoute[] {
  return routesOf.get(app) ?? [];
}

/**
 * Routes declare their body, params, query and response schemas (the domain's zod schemas);
 * Fastify checks requests with them and the OpenAPI document is generated from them and served
 * at /api/v1/openapi.json. Call before any route is registered.
 */
export async function installRouteSchemas(app: FastifyInstance): Promise<void> {
  const routes: DeclaredRoute[] = [];
  routesOf.set(app, routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat())
      if (method !== 'HEAD') routes.push({ method, url: route.url, schema: route.schema });
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installJsonParser(app);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Faultline API',
        description:
          'Chaos-engineering experiments and progressive delivery. Errors are always ' +
          '`{ "error": { "code", "message", "details" } }`; see docs/api.md for behaviour.',
        version: '1',
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      },
      security: [{ bearer: [] }],
    },
    transform: createJsonSchemaTransform({ schemaRegistry: components, skipList: [] }),
    transformObject: createJsonSchemaTransformObject({ schemaRegistry: components }),
  });
  app
    .withTypeProvider<ZodTypeProvider>()
    .get(OPENAPI_PATH, { config: { public: true } }, async () => app.swagger());
}
