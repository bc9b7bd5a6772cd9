import { z } from 'zod';
import {
  webhookDeliveryListSchema,
  webhookDeliverySchema,
  webhookListSchema,
  webhookSchema,
  webhookWithSecretSchema,
} from '@/domain/webhooks';
import type { NotificationsCapability } from '../capabilities/notifications';
import type { HttpClient } from './client';

const path = (id: string, rest = '') => `/api/v1/webhooks/${encodeURIComponent(id)}${rest}`;
const updatedSchema = webhookSchema.extend({ secret: z.string().optional() });
const testAnswerSchema = z.object({ delivery: webhookDeliverySchema });

export function notificationsHttp(client: HttpClient): NotificationsCapability {
  return {
    listWebhooks: async (options = {}) =>
      (await client.json('GET', '/api/v1/webhooks', webhookListSchema, options)).webhooks,
    createWebhook: (spec) =>
      client.json('POST', '/api/v1/webhooks', webhookWithSecretSchema, { body: spec }),
    updateWebhook: (id, update) => client.json('PUT', path(id), updatedSchema, { body: update }),
    deleteWebhook: (id, version) => client.empty('DELETE', path(id), { query: { version } }),
    webhookDeliveries: async (id, options = {}) =>
      (await client.json('GET', path(id, '/deliveries'), webhookDeliveryListSchema, options))
        .deliveries,
    sendTestWebhook: async (id) =>
      (await client.json('POST', path(id, '/test'), testAnswerSchema, { body: {} })).delivery,
  };
}
