import { metricHistorySchema } from '@/domain/api';
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
  };
}
