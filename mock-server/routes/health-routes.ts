import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CoreContext } from '../context';

export async function healthRoutes(app: FastifyInstance, ctx: CoreContext): Promise<void> {
  app
    .withTypeProvider<ZodTypeProvider>()
    .get(
      '/healthz',
      { schema: { response: { 200: z.object({ status: z.literal('ok') }) } } },
      async () => {
        ctx.db.prepare('SELECT 1').get();
        return { status: 'ok' as const };
      },
    );
}
