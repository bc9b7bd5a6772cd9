import { rolloutListSchema, rolloutSchema } from '@/domain/rollouts';
import type { RolloutsCapability } from '../capabilities/rollouts';
import type { HttpClient } from './client';

const path = (id: string, action = '') => `/api/v1/rollouts/${encodeURIComponent(id)}${action}`;

export function rolloutsHttp(client: HttpClient): RolloutsCapability {
  return {
    listRollouts: async (options = {}) =>
      (await client.json('GET', '/api/v1/rollouts', rolloutListSchema, options)).rollouts,
    getRollout: (id, options = {}) => client.json('GET', path(id), rolloutSchema, options),
    createRollout: (spec) => client.json('POST', '/api/v1/rollouts', rolloutSchema, { body: spec }),
    controlRollout: (id, control, { reason, ...options } = {}) =>
      client.json('POST', path(id, `/${control}`), rolloutSchema, {
        body: reason ? { reason } : {},
        ...options,
      }),
  };
}
