import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { environmentSchema } from '../../src/domain';
import {
  createFlagSchema,
  importFlagsSchema,
  killFlagSchema,
  enableFlagSchema,
  toFlagdDocument,
  updateFlagSchema,
  type FlagdDocument,
} from '../../src/domain/flags';
import type { CoreContext } from '../context';
import { parseWith } from '../parse';
import { actorOf, type FlagService } from './flag-service';
import type { FlagStore } from './flag-store';
import type { importService } from './import-service';
import type { OfrepKeys } from './ofrep-keys';

const keyParams = z.object({ key: z.string().min(1) });
const versionQuery = z.object({ version: z.coerce.number({ error: 'version is required' }).int() });
const exportQuery = z.object({ environment: environmentSchema });

export interface FlagRouteDeps {
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
  app.get('/api/v1/flags', async (request) => {
    ctx.requireAction(request, 'read');
    return { flags: flags.list() };
  });

  app.post('/api/v1/flags', async (request, reply) => {
    const user = ctx.requireAction(request, 'flag.write');
    return reply
      .status(201)
      .send(flags.create(actorOf(user), parseWith(createFlagSchema, request.body)));
  });

  app.get('/api/v1/flags/export', async (request): Promise<FlagdDocument> => {
    ctx.requireAction(request, 'read');
    const { environment } = parseWith(exportQuery, request.query);
    return toFlagdDocument(store.listFlags(), store.listSegments(), environment);
  });

  app.post('/api/v1/flags/import', async (request) => {
    const user = ctx.requireAction(request, 'flag.write');
    const { environment, document } = parseWith(importFlagsSchema, request.body);
    return imports.importDocument(actorOf(user), environment, document);
  });

  app.get('/api/v1/flags/:key', async (request) => {
    ctx.requireAction(request, 'read');
    return flags.get(parseWith(keyParams, request.params).key);
  });

  app.put('/api/v1/flags/:key', async (request) => {
    const user = ctx.requireAction(request, 'flag.write');
    const { key } = parseWith(keyParams, request.params);
    const { version, spec } = parseWith(updateFlagSchema, request.body);
    return flags.update(actorOf(user), key, version, spec);
  });

  app.delete('/api/v1/flags/:key', async (request, reply) => {
    const user = ctx.requireAction(request, 'flag.write');
    const { key } = parseWith(keyParams, request.params);
    flags.remove(actorOf(user), key, parseWith(versionQuery, request.query).version);
    return reply.status(204).send();
  });

  app.post('/api/v1/flags/:key/kill', async (request) => {
    const user = ctx.requireAction(request, 'flag.kill');
    const { key } = parseWith(keyParams, request.params);
    const { environment, comment } = parseWith(killFlagSchema, request.body);
    return flags.switchState(actorOf(user), key, environment, 'off', comment);
  });

  app.post('/api/v1/flags/:key/enable', async (request) => {
    const user = ctx.requireAction(request, 'flag.write');
    const { key } = parseWith(keyParams, request.params);
    const { environment, comment } = parseWith(enableFlagSchema, request.body);
    return flags.switchState(actorOf(user), key, environment, 'on', comment);
  });

  app.get('/api/v1/flags/:key/history', async (request) => {
    ctx.requireAction(request, 'read');
    return { entries: flags.history(parseWith(keyParams, request.params).key) };
  });

  app.get('/api/v1/ofrep-keys', async (request) => {
    ctx.requireAction(request, 'admin.settings');
    return { keys: keys.list() };
  });

  app.post('/api/v1/ofrep-keys/:environment/rotate', async (request) => {
    ctx.requireAction(request, 'admin.settings');
    const { environment } = parseWith(exportQuery, request.params);
    return keys.rotate(environment);
  });
}
