import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { environmentSchema, groupSchema, type Fleet, type MetricSample } from '../../src/domain';
import type { ServerContext } from '../context';
import { parseWith } from '../parse';

const metricsQuerySchema = z.object({
  service: z.string().min(1, 'choose a service'),
  environment: environmentSchema,
  group: groupSchema.default('all'),
  experimentId: z.string().min(1).optional(),
  cohort: z.enum(['on', 'off']).optional(),
  version: z.enum(['stable', 'canary']).optional(),
  since: z.coerce
    .number({ error: 'since must be epoch milliseconds' })
    .finite('since must be epoch milliseconds')
    .optional(),
});

export async function fleetRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  app.get('/api/v1/fleet', async (request): Promise<Fleet> => {
    ctx.requireAction(request, 'read');
    return ctx.simulation.fleet;
  });

  app.get('/api/v1/metrics', async (request): Promise<{ samples: MetricSample[] }> => {
    ctx.requireAction(request, 'read');
    const query = parseWith(metricsQuerySchema, request.query);
    if (!ctx.simulation.hasService(query.service)) {
      return { samples: [] };
    }
    return { samples: ctx.simulation.history.query(query) };
  });
}
