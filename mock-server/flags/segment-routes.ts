import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  createSegmentSchema,
  segmentListSchema,
  segmentSchema,
  updateSegmentSchema,
} from '../../src/domain/flags';
import type { CoreContext } from '../context';
import { answers, keyParams, noContent, versionQuery } from '../route-schemas';
import { actorOf } from './flag-service';
import type { SegmentService } from './segment-service';

export async function segmentRoutes(
  app: FastifyInstance,
  ctx: CoreContext,
  segments: SegmentService,
): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/v1/segments',
    { config: { action: 'read' }, schema: { response: answers({ 200: segmentListSchema }) } },
    async () => ({ segments: segments.list() }),
  );

  api.post(
    '/api/v1/segments',
    {
      config: { action: 'flag.write' },
      schema: { body: createSegmentSchema, response: answers({ 201: segmentSchema }) },
    },
    async (request, reply) =>
      reply.status(201).send(segments.create(actorOf(ctx.requireUser(request)), request.body)),
  );

  api.get(
    '/api/v1/segments/:key',
    {
      config: { action: 'read' },
      schema: { params: keyParams, response: answers({ 200: segmentSchema }) },
    },
    async (request) => segments.get(request.params.key),
  );

  api.put(
    '/api/v1/segments/:key',
    {
      config: { action: 'flag.write' },
      schema: {
        params: keyParams,
        body: updateSegmentSchema,
        response: answers({ 200: segmentSchema }),
      },
    },
    async (request) => {
      const { version, spec } = request.body;
      return segments.update(actorOf(ctx.requireUser(request)), request.params.key, version, spec);
    },
  );

  api.delete(
    '/api/v1/segments/:key',
    {
      config: { action: 'flag.write' },
      schema: {
        params: keyParams,
        querystring: versionQuery,
        response: answers({ 204: noContent }),
      },
    },
    async (request, reply) => {
      segments.remove(actorOf(ctx.requireUser(request)), request.params.key, request.query.version);
      return reply.status(204).send();
    },
  );
}
