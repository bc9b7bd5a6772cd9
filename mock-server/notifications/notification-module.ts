import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ERROR_CODES } from '../../src/domain';
import {
  MAX_WEBHOOKS,
  updateWebhookSchema,
  webhookDeliveryListSchema,
  webhookDeliverySchema,
  webhookListSchema,
  webhookSchema,
  webhookSpecSchema,
  webhookWithSecretSchema,
  type WebhookDelivery,
} from '../../src/domain/webhooks';
import type { CoreContext } from '../context';
import { HttpError, notFound, versionConflict } from '../errors';
import { answers, idParams, noContent, versionQuery } from '../route-schemas';
import { rolloutStore } from '../rollouts/rollout-store';
import { incidentStore } from '../status/incident-store';
import { skippedRecordsOf } from '../store/records';
import {
  createDeliveryWorker,
  DEFAULT_DELIVERY_POLICY,
  type DeliveryPolicy,
} from './delivery-worker';
import { queueNotifications } from './event-queue';
import { messageBody, testNotice } from './messages';
import { newWebhookId, viewOf, webhookStore, type StoredWebhook } from './webhook-store';

export interface NotificationOptions {
  policy?: Partial<DeliveryPolicy>;
  /** Wall-clock time for the delivery log and retries (default Date.now). */
  now?: () => number;
  fetch?: typeof fetch;
}

const updatedWebhookSchema = webhookSchema.extend({
  /** Only when the edit rotated it: the new secret, in this answer only. */
  secret: z.string().optional(),
});

const deliveryView = ({ body: _body, ...view }: WebhookDelivery & { body: string }) => view;

/**
 * Outgoing notifications (docs/notifications.md): webhooks an admin configures, the queue that
 * events on the bus fill and the worker that sends it. Must be registered after the incident
 * and rollout modules, whose records the messages read.
 */
export async function notificationModule(
  app: FastifyInstance,
  ctx: CoreContext,
  options: NotificationOptions = {},
): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const store = webhookStore(ctx.db);
  const now = options.now ?? Date.now;
  const incidents = incidentStore(ctx.db);
  const rollouts = rolloutStore(ctx.db);
  const worker = createDeliveryWorker({
    store,
    policy: { ...DEFAULT_DELIVERY_POLICY, ...options.policy },
    now,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    onAttempt: (delivery) =>
      ctx.bus.publish({
        type: 'resource',
        resource: 'webhooks',
        id: delivery.webhookId,
        change: 'delivery',
      }),
  });
  const queue = queueNotifications({
    ctx,
    store,
    worker,
    now,
    lookups: { incident: (id) => incidents.get(id), rollout: (id) => rollouts.get(id) },
  });
  app.addHook('preClose', async () => {
    queue.stop();
    worker.close();
  });
  // What was pending when the server last stopped is sent now.
  worker.kick();

  const load = (id: string): StoredWebhook => {
    const found = store.get(id);
    if (found) return found;
    const version = store.storedVersion(id);
    if (version === null) throw notFound(`webhook ${id}`);
    throw new HttpError(
      409,
      ERROR_CODES.unreadableRecord,
      `webhook ${id} is stored but cannot be read (see GET /api/v1/skipped-records): delete it and add it again`,
      { kind: 'webhook', id, version },
    );
  };
  const changed = (id: string, change: string) => ({
    type: 'resource' as const,
    resource: 'webhooks',
    id,
    change,
  });
  const admin = { action: 'admin.settings' as const };

  api.get(
    '/api/v1/webhooks',
    { config: admin, schema: { response: answers({ 200: webhookListSchema }) } },
    async () => ({ webhooks: store.list().map(viewOf) }),
  );

  api.post(
    '/api/v1/webhooks',
    {
      config: admin,
      schema: { body: webhookSpecSchema, response: answers({ 201: webhookWithSecretSchema }) },
    },
    async (request, reply) => {
      const user = ctx.requireUser(request);
      const id = newWebhookId();
      const created = ctx.mutate(user, 'webhook.create', { type: 'webhook', id }, (scope) => {
        if (store.count() >= MAX_WEBHOOKS)
          throw new HttpError(
            409,
            ERROR_CODES.invalidState,
            `a server keeps at most ${MAX_WEBHOOKS} webhooks: delete one first`,
          );
        const made = store.create(id, request.body, user.name, ctx.clock.now());
        scope.publish(changed(id, 'created'));
        return { before: null, after: viewOf(made), result: made };
      });
      reply.code(201);
      return { ...viewOf(created), secret: created.secret };
    },
  );

  api.put(
    '/api/v1/webhooks/:id',
    {
      config: admin,
      schema: {
        params: idParams,
        body: updateWebhookSchema,
        response: answers({ 200: updatedWebhookSchema }),
      },
    },
    async (request) => {
      const user = ctx.requireUser(request);
      const { id } = request.params;
      const { version, spec, rotateSecret } = request.body;
      const after = ctx.mutate(user, 'webhook.update', { type: 'webhook', id }, (scope) => {
        const before = load(id);
        if (before.version !== version) throw versionConflict(viewOf(before));
        const saved = store.update(before, spec, rotateSecret, ctx.clock.now());
        scope.publish(changed(id, 'updated'));
        return {
          before: viewOf(before),
          after: { ...viewOf(saved), secretRotated: rotateSecret },
          result: saved,
        };
      });
      return { ...viewOf(after), ...(rotateSecret ? { secret: after.secret } : {}) };
    },
  );

  api.delete(
    '/api/v1/webhooks/:id',
    {
      config: admin,
      schema: {
        params: idParams,
        querystring: versionQuery,
        response: answers({ 204: noContent }),
      },
    },
    async (request, reply) => {
      const user = ctx.requireUser(request);
      const { id } = request.params;
      ctx.mutate(user, 'webhook.delete', { type: 'webhook', id }, (scope) => {
        const readable = store.get(id);
        // A row that cannot be read can still be deleted, by the version it was stored with.
        const version = readable?.version ?? store.storedVersion(id);
        if (version === null) throw notFound(`webhook ${id}`);
        if (version !== request.query.version)
          throw versionConflict(readable ? viewOf(readable) : { id, version });
        store.remove(id);
        skippedRecordsOf(ctx.db).clear('webhook', id);
        scope.publish(changed(id, 'deleted'));
        const before = readable ? viewOf(readable) : { id, version, unreadable: true };
        return { before, after: null, result: undefined };
      });
      reply.code(204);
    },
  );

  api.get(
    '/api/v1/webhooks/:id/deliveries',
    {
      config: admin,
      schema: { params: idParams, response: answers({ 200: webhookDeliveryListSchema }) },
    },
    async (request) => {
      const { id } = load(request.params.id);
      return { deliveries: store.deliveries(id) };
    },
  );

  api.post(
    '/api/v1/webhooks/:id/test',
    {
      config: admin,
      schema: {
        params: idParams,
        response: answers({ 202: z.object({ delivery: webhookDeliverySchema }) }),
      },
    },
    async (request, reply) => {
      const user = ctx.requireUser(request);
      const { id } = request.params;
      const delivery = ctx.mutate(user, 'webhook.test', { type: 'webhook', id }, () => {
        const webhook = load(id);
        const notice = testNotice(`ev_${randomUUID()}`, webhook.name, now());
        const queued = store.enqueue({
          webhookId: id,
          event: 'test',
          summary: notice.summary,
          body: messageBody(notice, webhook.format),
          now: now(),
        });
        return { before: null, after: { delivery: queued.id }, result: deliveryView(queued) };
      });
      worker.kick();
      reply.code(202);
      return { delivery };
    },
  );
}
