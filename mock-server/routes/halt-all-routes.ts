import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { haltAllRequestSchema, haltAllResponseSchema } from '../../src/domain';
import type { ServerContext } from '../context';
import { answers } from '../route-schemas';

export async function haltAllRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/api/v1/halt-all',
    {
      config: { action: 'experiment.halt' },
      schema: { body: haltAllRequestSchema, response: answers({ 200: haltAllResponseSchema }) },
    },
    async (request) => ctx.engine.haltAll(request.body, ctx.requireUser(request)),
  );
}
