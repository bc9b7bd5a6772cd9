import { experimentListSchema, haltAllResponseSchema } from '@/domain/api';
import { experimentSchema } from '@/domain/experiment';
import type { ExperimentsCapability } from '../capabilities/experiments';
import type { HttpClient } from './client';

const path = (id: string, action = '') => `/api/v1/experiments/${encodeURIComponent(id)}${action}`;

export function experimentsHttp(client: HttpClient): ExperimentsCapability {
  return {
    listExperiments: async (filter = {}) =>
      (
        await client.json('GET', '/api/v1/experiments', experimentListSchema, {
          query: { ...filter },
        })
      ).experiments,
    getExperiment: (id) => client.json('GET', path(id), experimentSchema),
    createExperiment: (spec) =>
      client.json('POST', '/api/v1/experiments', experimentSchema, { body: spec }),
    updateExperiment: (id, version, spec) =>
      client.json('PUT', path(id), experimentSchema, { body: { version, spec } }),
    deleteExperiment: (id, version) => client.empty('DELETE', path(id), { query: { version } }),
    startExperiment: (id, options) =>
      client.json('POST', path(id, '/start'), experimentSchema, { body: options }),
    haltExperiment: (id, options = {}) =>
      client.json('POST', path(id, '/halt'), experimentSchema, { body: {}, ...options }),
    haltAll: (request, options = {}) =>
      client.json('POST', '/api/v1/halt-all', haltAllResponseSchema, { body: request, ...options }),
  };
}
