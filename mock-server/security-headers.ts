import helmet from '@fastify/helmet';
import type { FastifyInstance, FastifyReply } from 'fastify';

/**
 * The Content-Security-Policy of every response. The dashboard and the status page load only
 * their own bundles: no inline script, no eval, no third-party origin. Styles come from the
 * built CSS file; React, Tailwind and recharts set styles through the CSSOM (`element.style`),
 * which a CSP does not govern, so `style-src` needs no 'unsafe-inline' either.
 */
const CONTENT_SECURITY_POLICY: Record<string, string[]> = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  // The API, the live stream (EventSource) and OFREP: same origin only.
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

/** The same policy as one header value, for answers no hook reaches. */
const cspHeader = Object.entries(CONTENT_SECURITY_POLICY)
  .map(([directive, sources]) => `${directive} ${sources.join(' ')}`)
  .join('; ');

/**
 * Security headers on every answer (API, OFREP, static files, errors): helmet's defaults with
 * our CSP; no framing (frame-ancestors and X-Frame-Options), no MIME sniffing, no Referer.
 * HSTS is left out: the server speaks plain HTTP on loopback, where browsers ignore it, and a
 * TLS proxy in front decides it for itself.
 */
export async function installSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: false,
  });
}

/**
 * The headers that matter most, for errors Fastify answers before any hook runs (a malformed
 * URL): the policy, no framing, no sniffing, no Referer.
 */
export function addSecurityHeaders(reply: FastifyReply): FastifyReply {
  return reply.headers({
    'content-security-policy': cspHeader,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
  });
}
