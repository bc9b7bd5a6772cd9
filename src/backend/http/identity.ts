import { authInfoSchema, meResponseSchema, sessionResponseSchema } from '@/domain/api';
import type { IdentityCapability } from '../capabilities/identity';
import type { HttpClient } from './client';

export function identityHttp(client: HttpClient): IdentityCapability {
  return {
    authInfo: () => client.json('GET', '/api/v1/auth', authInfoSchema),
    createDemoSession: (user) =>
      client.json('POST', '/api/v1/session', sessionResponseSchema, { body: { user } }),
    me: async () => (await client.json('GET', '/api/v1/me', meResponseSchema)).user,
    signOut: () => client.empty('DELETE', '/api/v1/session'),
  };
}
