import type { FastifyInstance } from 'fastify';
import type { CoreContext } from '../context';

export async function healthRoutes(app: FastifyInstance, ctx: CoreContext): Promise<void> {
  app.get('/healthz', async () => {
    ctx.db.prepare('SELECT 1').get();
    return { status: 'ok' };
  });
}
