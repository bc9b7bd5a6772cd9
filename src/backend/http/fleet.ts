import { metricHistorySchema } from '@/domain/api';
import { flagEvaluationsSchema } from '@/domain/flag-evaluations';
import { fleetSchema } from '@/domain/fleet';
import type { FleetCapability } from '../capabilities/fleet';
import type { HttpClient } from './client';

export function fleetHttp(client: HttpClient): FleetCapability {
  return {
    fleet: () => client.json('GET', '/api/v1/fleet', fleetSchema),
    metricHistory: async (query, options = {}) => {
      const history = await client.json('GET', '/api/v1/metrics', metricHistorySchema, {
        query: { ...query },
        ...options,
      });
      return history.samples;
    },
    flagEvaluations: (query, options = {}) =>
      client.json('GET', '/api/v1/flag-evaluations', flagEvaluationsSchema, {
        query: { ...query },
        ...options,
      }),
  };
}
