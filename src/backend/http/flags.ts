import type { Environment } from '@/domain/environments';
import {
  flagCohortInstancesSchema,
  flagdDocumentSchema,
  flagHistorySchema,
  flagListSchema,
  flagSchema,
  importFlagsResponseSchema,
  ofrepKeyListSchema,
  newOfrepKeySchema,
  segmentListSchema,
  segmentSchema,
} from '@/domain/flags';
import type { FlagsCapability } from '../capabilities/flags';
import type { HttpClient } from './client';

const flagPath = (key: string, rest = '') => `/api/v1/flags/${encodeURIComponent(key)}${rest}`;
const segmentPath = (key: string) => `/api/v1/segments/${encodeURIComponent(key)}`;

export function flagsHttp(client: HttpClient): FlagsCapability {
  return {
    listFlags: async () => (await client.json('GET', '/api/v1/flags', flagListSchema)).flags,
    getFlag: (key) => client.json('GET', flagPath(key), flagSchema),
    createFlag: (spec) => client.json('POST', '/api/v1/flags', flagSchema, { body: spec }),
    updateFlag: (key, version, spec) =>
      client.json('PUT', flagPath(key), flagSchema, { body: { version, spec } }),
    deleteFlag: (key, version) => client.empty('DELETE', flagPath(key), { query: { version } }),
    killFlag: (key, environment, options = {}) => {
      const { comment, ...request } = options;
      return client.json('POST', flagPath(key, '/kill'), flagSchema, {
        body: { environment, ...(comment ? { comment } : {}) },
        ...request,
      });
    },
    enableFlag: (key, environment, options = {}) => {
      const { comment, ...request } = options;
      return client.json('POST', flagPath(key, '/enable'), flagSchema, {
        body: { environment, ...(comment ? { comment } : {}) },
        ...request,
      });
    },
    flagHistory: async (key) =>
      (await client.json('GET', flagPath(key, '/history'), flagHistorySchema)).entries,
    listSegments: async () =>
      (await client.json('GET', '/api/v1/segments', segmentListSchema)).segments,
    createSegment: (spec) => client.json('POST', '/api/v1/segments', segmentSchema, { body: spec }),
    updateSegment: (key, version, spec) =>
      client.json('PUT', segmentPath(key), segmentSchema, { body: { version, spec } }),
    deleteSegment: (key, version) =>
      client.empty('DELETE', segmentPath(key), { query: { version } }),
    exportFlags: (environment: Environment) =>
      client.json('GET', '/api/v1/flags/export', flagdDocumentSchema, { query: { environment } }),
    importFlags: (environment, document) =>
      client.json('POST', '/api/v1/flags/import', importFlagsResponseSchema, {
        body: { environment, document },
      }),
    flagCohort: (key, service, environment) =>
      client.json('GET', flagPath(key, '/cohort'), flagCohortInstancesSchema, {
        query: { service, environment },
      }),
    ofrepKeys: async () =>
      (await client.json('GET', '/api/v1/ofrep-keys', ofrepKeyListSchema)).keys,
    rotateOfrepKey: (environment) =>
      client.json('POST', `/api/v1/ofrep-keys/${environment}/rotate`, newOfrepKeySchema, {
        body: {},
      }),
  };
}
