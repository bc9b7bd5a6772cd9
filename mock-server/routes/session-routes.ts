import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  ERROR_CODES,
  authInfoSchema,
  meResponseSchema,
  sessionRequestSchema,
  sessionResponseSchema,
  streamTicketResponseSchema,
} from '../../src/domain';
import { bearerToken, type CoreContext } from '../context';
import { HttpError } from '../errors';
import { routeLimit } from '../rate-limits';
import { answers, noContent } from '../route-schemas';

export async function sessionRoutes(app: FastifyInstance, ctx: CoreContext): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/v1/auth',
    { config: { public: true }, schema: { response: answers({ 200: authInfoSchema }) } },
    async () => ({ demo: ctx.identity.demo, users: ctx.identity.demoUsers() }),
  );

  api.post(
    '/api/v1/session',
    {
      config: { public: true, ...routeLimit(ctx.config.rateLimits.sessions, 'sign-ins') },
      schema: { body: sessionRequestSchema, response: answers({ 200: sessionResponseSchema }) },
      // Outside demo mode the route answers 404 before the body is read.
      preValidation: async () => {
        if (!ctx.identity.demo) {
          throw new HttpError(
            404,
            ERROR_CODES.notFound,
            'sessions are only handed out in demo mode: use your configured token',
          );
        }
      },
    },
    async (request) => {
      const { user } = request.body;
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
  api.delete(
    '/api/v1/session',
    { schema: { response: answers({ 204: noContent }) } },
    async (request, reply) => {
      ctx.requireUser(request);
      const token = bearerToken(request);
      if (token) ctx.identity.revoke(token);
      return reply.status(204).send();
    },
  );

  api.get(
    '/api/v1/me',
    { schema: { response: answers({ 200: meResponseSchema }) } },
    async (request) => ({ user: ctx.requireUser(request) }),
  );

  api.post(
    '/api/v1/stream-ticket',
    { schema: { response: answers({ 200: streamTicketResponseSchema }) } },
    async (request) => ctx.identity.issueStreamTicket(ctx.requireUser(request)),
  );
}
