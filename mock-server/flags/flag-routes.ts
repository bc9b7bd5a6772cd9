import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { environmentSchema } from '../../src/domain';
import {
  createFlagSchema,
  enableFlagSchema,
  flagdDocumentSchema,
  flagHistorySchema,
  flagListSchema,
  flagSchema,
  importFlagsResponseSchema,
  importFlagsSchema,
  killFlagSchema,
  ofrepKeyListSchema,
  newOfrepKeySchema,
  toFlagdDocument,
  updateFlagSchema,
} from '../../src/domain/flags';
import type { CoreContext } from '../context';
import { answers, keyParams, noContent, versionQuery } from '../route-schemas';
import { actorOf, type FlagService } from './flag-service';
import type { FlagStore } from './flag-store';
import type { importService } from './import-service';
import type { OfrepKeys } from './ofrep-keys';

const environmentOnly = z.object({ environment: environmentSchema });

interface FlagRouteDeps {
  flags: FlagService;
  store: FlagStore;
  imports: ReturnType<typeof importService>;
  keys: OfrepKeys;
}

export async function flagRoutes(
  app: FastifyInstance,
  ctx: CoreContext,
  { flags, store, imports, keys }: FlagRouteDeps,
): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const actor = (request: Parameters<CoreContext['requireUser']>[0]) =>
    actorOf(ctx.requireUser(request));

  api.get(
    '/api/v1/flags',
    { config: { action: 'read' }, schema: { response: answers({ 200: flagListSchema }) } },
    async () => ({ flags: flags.list() }),
  );

  api.post(
    '/api/v1/flags',
    {
      config: { action: 'flag.write' },
      schema: { body: createFlagSchema, response: answers({ 201: flagSchema }) },
    },
    async (request, reply) => reply.status(201).send(flags.create(actor(request), request.body)),
  );

  api.get(
    '/api/v1/flags/export',
    {
      config: { action: 'read' },
      schema: { querystring: environmentOnly, response: answers({ 200: flagdDocumentSchema }) },
    },
    async (request) =>
      toFlagdDocument(store.listFlags(), store.listSegments(), request.query.environment, {
        metadata: 'full',
        flagSetMetadata: store.flagSetMetadata(request.query.environment),
      }),
  );

  api.post(
    '/api/v1/flags/import',
    {
      config: { action: 'flag.write' },
      schema: { body: importFlagsSchema, response: answers({ 200: importFlagsResponseSchema }) },
    },
    async (request) =>
      imports.importDocument(actor(request), request.body.environment, request.body.document),
  );

  api.get(
    '/api/v1/flags/:key',
    {
      config: { action: 'read' },
      schema: { params: keyParams, response: answers({ 200: flagSchema }) },
    },
    async (request) => flags.get(request.params.key),
  );

  api.put(
    '/api/v1/flags/:key',
    {
      config: { action: 'flag.write' },
      schema: { params: keyParams, body: updateFlagSchema, response: answers({ 200: flagSchema }) },
    },
    async (request) =>
      flags.update(actor(request), request.params.key, request.body.version, request.body.spec),
  );

  api.delete(
    '/api/v1/flags/:key',
    {
      config: { action: 'flag.write' },
      schema: {
        params: keyParams,
        querystring: versionQuery,
        response: answers({ 204: noContent }),
      },
    },
    async (request, reply) => {
      flags.remove(actor(request), request.params.key, request.query.version);
      return reply.status(204).send();
    },
  );

  api.post(
    '/api/v1/flags/:key/kill',
    {
      config: { action: 'flag.kill' },
      schema: { params: keyParams, body: killFlagSchema, response: answers({ 200: flagSchema }) },
    },
    async (request) => {
      const { environment, comment } = request.body;
      return flags.switchState(actor(request), request.params.key, environment, 'off', comment);
    },
  );

  api.post(
    '/api/v1/flags/:key/enable',
    {
      config: { action: 'flag.write' },
      schema: { params: keyParams, body: enableFlagSchema, response: answers({ 200: flagSchema }) },
    },
    async (request) => {
      const { environment, comment } = request.body;
      return flags.switchState(actor(request), request.params.key, environment, 'on', comment);
    },
  );

  api.get(
    '/api/v1/flags/:key/history',
    {
      config: { action: 'read' },
      schema: { params: keyParams, response: answers({ 200: flagHistorySchema }) },
    },
    async (request) => ({ entries: flags.history(request.params.key) }),
  );

  api.get(
    '/api/v1/ofrep-keys',
    {
      config: { action: 'admin.settings' },
      schema: { response: answers({ 200: ofrepKeyListSchema }) },
    },
    async () => ({ keys: keys.list() }),
  );

  api.post(
    '/api/v1/ofrep-keys/:environment/rotate',
    {
      config: { action: 'admin.settings' },
      schema: { params: environmentOnly, response: answers({ 200: newOfrepKeySchema }) },
    },
    async (request) => keys.rotate(ctx.requireUser(request), request.params.environment),
  );
}
