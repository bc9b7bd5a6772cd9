import { authInfoSchema, meResponseSchema, sessionResponseSchema } from '@/domain/api';
import type { SessionApi } from './backend';
import type { HttpClient } from './http-backend';

export function sessionHttp(client: HttpClient): SessionApi {
  return {
    authInfo: () => client.json('GET', '/api/v1/auth', authInfoSchema),
    createSession: (user) =>
      client.json('POST', '/api/v1/session', sessionResponseSchema, { body: { user } }),
    me: async () => (await client.json('GET', '/api/v1/me', meResponseSchema)).user,
    signOut: () => client.empty('DELETE', '/api/v1/session'),
  };
}
