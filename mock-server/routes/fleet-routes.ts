import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  ERROR_CODES,
  environmentSchema,
  flagEvaluationsQuerySchema,
  flagEvaluationsSchema,
  fleetSchema,
  groupSchema,
  metricHistorySchema,
} from '../../src/domain';
import { MetricsUnavailableError } from '../backends/seams';
import { HttpError } from '../errors';
import type { ServerContext } from '../context';
import { answers } from '../route-schemas';

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
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get(
    '/api/v1/fleet',
    { config: { action: 'read' }, schema: { response: answers({ 200: fleetSchema }) } },
    async () => ctx.backend.inventory.fleet(),
  );

  api.get(
    '/api/v1/metrics',
    {
      config: { action: 'read' },
      schema: { querystring: metricsQuerySchema, response: answers({ 200: metricHistorySchema }) },
    },
    async (request) => {
      const query = request.query;
      if (!ctx.backend.inventory.hasService(query.service)) return { samples: [] };
      try {
        return { samples: await ctx.backend.metrics.history(query) };
      } catch (error) {
        if (error instanceof MetricsUnavailableError)
          throw new HttpError(503, ERROR_CODES.metricsUnavailable, error.message);
        throw error;
      }
    },
  );

  api.get(
    '/api/v1/flag-evaluations',
    {
      config: { action: 'read' },
      schema: {
        querystring: flagEvaluationsQuerySchema,
        response: answers({ 200: flagEvaluationsSchema }),
      },
    },
    async (request) => {
      const query = request.query;
      if (query.service !== undefined && !ctx.backend.inventory.hasService(query.service))
        return { series: [], unavailable: `There is no service named ${query.service}.` };
      try {
        return await ctx.backend.metrics.flagEvaluations(query);
      } catch (error) {
        if (error instanceof MetricsUnavailableError)
          throw new HttpError(503, ERROR_CODES.metricsUnavailable, error.message);
        throw error;
      }
    },
  );
}
