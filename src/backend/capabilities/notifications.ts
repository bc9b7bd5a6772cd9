import type {
  UpdateWebhookInput,
  Webhook,
  WebhookDelivery,
  WebhookSpecInput,
  WebhookWithSecret,
} from '@/domain/webhooks';
import type { RequestOptions } from './request';

/** An edit's answer: with the new secret only when the edit rotated it. */
export type UpdatedWebhook = Webhook & { secret?: string };

/** Outgoing notifications (docs/notifications.md): webhooks and their delivery logs. Admins only. */
export interface NotificationsCapability {
  listWebhooks(options?: RequestOptions): Promise<Webhook[]>;
  /** The answer carries the signing secret: the only time it is shown. */
  createWebhook(spec: WebhookSpecInput): Promise<WebhookWithSecret>;
  updateWebhook(id: string, update: UpdateWebhookInput): Promise<UpdatedWebhook>;
  deleteWebhook(id: string, version: number): Promise<void>;
  /** Newest first. */
  webhookDeliveries(id: string, options?: RequestOptions): Promise<WebhookDelivery[]>;
  /** Queues a test message; the log shows how it went. */
  sendTestWebhook(id: string): Promise<WebhookDelivery>;
}
