import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { createSegmentSchema, updateSegmentSchema } from '../../src/domain/flags';
import type { CoreContext } from '../context';
import { parseWith } from '../parse';
import { actorOf } from './flag-service';
import type { SegmentService } from './segment-service';

const keyParams = z.object({ key: z.string().min(1) });
const versionQuery = z.object({ version: z.coerce.number({ error: 'version is required' }).int() });

export async function segmentRoutes(
  app: FastifyInstance,
  ctx: CoreContext,
  segments: SegmentService,
): Promise<void> {
  app.get('/api/v1/segments', async (request) => {
    ctx.requireAction(request, 'read');
    return { segments: segments.list() };
  });

  app.post('/api/v1/segments', async (request, reply) => {
    const user = ctx.requireAction(request, 'flag.write');
    return reply
      .status(201)
      .send(segments.create(actorOf(user), parseWith(createSegmentSchema, request.body)));
  });

  app.get('/api/v1/segments/:key', async (request) => {
    ctx.requireAction(request, 'read');
    return segments.get(parseWith(keyParams, request.params).key);
  });

  app.put('/api/v1/segments/:key', async (request) => {
    const user = ctx.requireAction(request, 'flag.write');
    const { key } = parseWith(keyParams, request.params);
    const { version, spec } = parseWith(updateSegmentSchema, request.body);
    return segments.update(actorOf(user), key, version, spec);
  });

  app.delete('/api/v1/segments/:key', async (request, reply) => {
    const user = ctx.requireAction(request, 'flag.write');
    const { key } = parseWith(keyParams, request.params);
    segments.remove(actorOf(user), key, parseWith(versionQuery, request.query).version);
    return reply.status(204).send();
  });
}
