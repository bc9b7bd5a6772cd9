import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ENVIRONMENTS,
  HISTORY_DAYS,
  STATUS_ERROR_CODES,
  statusResponseSchema,
  statusSettingsSchema,
  updateStatusSettingsSchema,
  type StatusSettings,
  FLAG_SERVICE,
} from '../../src/domain';
import type { Backend } from '../backends/seams';
import type { CoreContext } from '../context';
import { HttpError, versionConflict } from '../errors';
import { answers } from '../route-schemas';
import { hashSecret, matchesHash, newSecret } from '../secrets';
import { incidentRoutes } from './incident-routes';
import { incidentStore } from './incident-store';
import { statusFeed } from './status-feed';
import { buildStatus } from './status-view';
import { monitorStatus, seedStatusHistory } from './status-monitor';
import { statusStore, type StoredStatusSettings } from './status-store';

const statusQuery = z.object({ token: z.string().max(200).optional() });

/** The settings as an admin reads them: whether a share token is needed, never its hash. */
const settingsView = (settings: StoredStatusSettings): StatusSettings => ({
  enabled: settings.enabled,
  tokenRequired: settings.shareTokenHash !== null,
  version: settings.version,
});

/** What the audit log keeps of the settings: whether a token exists, never the token. */
const auditView = (settings: StoredStatusSettings) => ({
  enabled: settings.enabled,
  tokenRequired: settings.shareTokenHash !== null,
});

export async function statusRoutes(
  app: FastifyInstance,
  ctx: CoreContext & { backend: Backend },
): Promise<void> {
  await incidentRoutes(app, ctx);
  const store = statusStore(ctx.db);
  const incidents = incidentStore(ctx.db);
  // The services users ship; Faultline's own flag service is a chaos target, not one of them.
  const services = ctx.backend.inventory
    .fleet()
    .services.filter((service) => service.name !== FLAG_SERVICE);
  if (ctx.identity.demo) {
    ctx.db.transaction(() =>
      seedStatusHistory(
        store,
        services.map((s) => s.name),
        ENVIRONMENTS,
        ctx.clock.now(),
        HISTORY_DAYS,
      ),
    )();
  }
  const monitor = monitorStatus(ctx, store);
  // preClose: the database closes in an onClose hook, and the last minute must be written first.
  app.addHook('preClose', async () => monitor.stop());

  /** The page is off for everyone when disabled; with a share token, a signed-in user or the link's token opens it. */
  const checkAccess = (request: FastifyRequest, token: string | undefined) => {
    const settings = store.settings();
    if (!settings.enabled)
      throw new HttpError(404, STATUS_ERROR_CODES.disabled, 'the status page is turned off');
    if (settings.shareTokenHash === null || request.user) return;
    if (!token || !matchesHash(token, settings.shareTokenHash)) {
      throw new HttpError(
        403,
        STATUS_ERROR_CODES.tokenRequired,
        'this status page opens with its share link',
      );
    }
  };

  // A fresh load of /status gets the standalone page (status.html) when the dashboard is served;
  // without it the dashboard's own /status route answers (index.html, via not-found).
  app.get('/status', async (request, reply) => {
    if (typeof reply.sendFile !== 'function') return reply.callNotFound();
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .sendFile('status.html');
  });

  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/v1/status',
    {
      config: { public: true },
      schema: {
        querystring: statusQuery,
        security: [{}, { bearer: [] }],
        response: answers({ 200: statusResponseSchema }),
      },
    },
    async (request, reply) => {
      checkAccess(request, request.query.token);
      reply.header('cache-control', 'no-store');
      return buildStatus({ ctx, services, monitor, store, incidents });
    },
  );

  // Typed by hand: the answer is Atom XML, not the string the schema documents.
  app.get<{ Querystring: z.infer<typeof statusQuery> }>(
    '/api/v1/status/feed.atom',
    {
      config: { public: true },
      schema: {
        querystring: statusQuery,
        security: [{}, { bearer: [] }],
        response: answers({
          200: { content: { 'application/atom+xml': { schema: z.string() } } },
        }),
      },
    },
    async (request, reply) => {
      // A feed reader signs in with nothing but the link: the share token, when one is set.
      checkAccess(request, request.query.token);
      const status = buildStatus({ ctx, services, monitor, store, incidents });
      const token = store.settings().shareTokenHash === null ? null : (request.query.token ?? null);
      const feed = statusFeed(status, {
        origin: `${request.protocol}://${request.host}`,
        shareToken: token,
      });
      return reply
        .type('application/atom+xml; charset=utf-8')
        .header('cache-control', 'no-cache')
        .send(feed);
    },
  );

  api.get(
    '/api/v1/status/settings',
    {
      config: { action: 'admin.settings' },
      schema: { response: answers({ 200: statusSettingsSchema }) },
    },
    async () => settingsView(store.settings()),
  );

  api.put(
    '/api/v1/status/settings',
    {
      config: { action: 'admin.settings' },
      schema: {
        body: updateStatusSettingsSchema,
        response: answers({ 200: statusSettingsSchema }),
      },
    },
    async (request) => {
      const user = ctx.requireUser(request);
      const body = request.body;
      return ctx.mutate(
        user,
        'status.settings',
        { type: 'status-settings', id: 'status' },
        (scope) => {
          const before = store.settings();
          if (before.version !== body.version) throw versionConflict(settingsView(before));
          const keep = body.tokenRequired && !body.rotateToken ? before.shareTokenHash : null;
          // A new token is shown in this answer only: the store keeps its hash.
          const shareToken = body.tokenRequired && keep === null ? newSecret(18) : undefined;
          const after: StoredStatusSettings = {
            enabled: body.enabled,
            shareTokenHash: shareToken === undefined ? keep : hashSecret(shareToken),
            version: before.version + 1,
          };
          store.saveSettings(after);
          scope.publish({ type: 'resource', resource: 'status-settings', change: 'updated' });
          return {
            before: auditView(before),
            after: { ...auditView(after), tokenRotated: shareToken !== undefined },
            result: { ...settingsView(after), ...(shareToken === undefined ? {} : { shareToken }) },
          };
        },
      );
    },
  );
}
