import { metricHistorySchema } from '@/domain/api';
import { fleetSchema } from '@/domain/fleet';
import type { FleetApi } from './backend';
import type { HttpClient } from './http-backend';

export function fleetHttp(client: HttpClient): FleetApi {
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
