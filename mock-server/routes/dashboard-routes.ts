import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Paths that belong to the API, never to the single-page app. */
const API_PREFIXES = ['/api/', '/ofrep/', '/metrics', '/healthz'];

/** Serves the built dashboard from `root`; any other GET that wants HTML gets index.html (client-side routes). */
export async function dashboardRoutes(app: FastifyInstance, root: string): Promise<void> {
  await app.register(fastifyStatic, { root, wildcard: true, index: ['index.html'] });
}

export function wantsDashboard(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const path = request.url.split('?')[0] ?? '/';
  if (API_PREFIXES.some((prefix) => path.startsWith(prefix))) return false;
  return (request.headers.accept ?? '').includes('text/html') || !path.includes('.');
}

export function sendDashboard(reply: FastifyReply): FastifyReply {
  return reply.type('text/html; charset=utf-8').sendFile('index.html');
}
