import type { FastifyInstance } from 'fastify';
import { haltAllRequestSchema, type HaltAllResponse } from '../../src/domain';
import type { ServerContext } from '../context';
import { parseWith } from '../parse';

export async function haltAllRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  app.post('/api/v1/halt-all', async (request): Promise<HaltAllResponse> => {
    const user = ctx.requireAction(request, 'experiment.halt');
    return ctx.engine.haltAll(parseWith(haltAllRequestSchema, request.body), user);
  });
}
