import { z } from 'zod';
import { authInfoSchema, sessionResponseSchema } from '@/domain/api';
import { userSchema } from '@/domain/roles';
import type { SessionApi } from './backend';
import type { HttpClient } from './http-backend';

const meSchema = z.object({ user: userSchema });

export function sessionHttp(client: HttpClient): SessionApi {
  return {
    authInfo: () => client.json('GET', '/api/v1/auth', authInfoSchema),
    createSession: (user) => client.json('POST', '/api/v1/session', sessionResponseSchema, { body: { user } }),
    me: async () => (await client.json('GET', '/api/v1/me', meSchema)).user,
  };
}
