import type { FastifyInstance } from 'fastify';
import {
  ERROR_CODES,
  sessionRequestSchema,
  type AuthInfo,
  type MeResponse,
  type SessionResponse,
  type StreamTicketResponse,
} from '../../src/domain';
import { bearerToken, type CoreContext } from '../context';
import { HttpError } from '../errors';
import { parseWith } from '../parse';

export async function sessionRoutes(app: FastifyInstance, ctx: CoreContext): Promise<void> {
  app.get('/api/v1/auth', { config: { public: true } }, async (): Promise<AuthInfo> => ({
    demo: ctx.identity.demo,
    users: ctx.identity.demoUsers(),
  }));

  app.post(
    '/api/v1/session',
    { config: { public: true } },
    async (request): Promise<SessionResponse> => {
      if (!ctx.identity.demo) {
        throw new HttpError(
          404,
          ERROR_CODES.notFound,
          'sessions are only handed out in demo mode: use your configured token',
        );
      }
      const { user } = parseWith(sessionRequestSchema, request.body);
      const session = ctx.identity.createSession(user);
      if (!session) {
        throw new HttpError(400, ERROR_CODES.validation, `user: no demo user is called "${user}"`, {
          issues: [{ path: 'user', message: `no demo user is called "${user}"` }],
        });
      }
      return session;
    },
  );

  /** Sign-out: the token stops working on the server, not only in the browser that forgets it. */
  app.delete('/api/v1/session', async (request, reply) => {
    ctx.requireUser(request);
    const token = bearerToken(request);
    if (token) ctx.identity.revoke(token);
    return reply.status(204).send();
  });

  app.get('/api/v1/me', async (request): Promise<MeResponse> => ({
    user: ctx.requireUser(request),
  }));

  app.post('/api/v1/stream-ticket', async (request): Promise<StreamTicketResponse> =>
    ctx.identity.issueStreamTicket(ctx.requireUser(request)),
  );
}
