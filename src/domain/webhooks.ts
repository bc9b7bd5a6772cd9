import { z } from 'zod';

/**
 * Outgoing notifications: webhooks an admin configures so that the people who are not watching
 * the dashboard (leadership, customers, a chat channel) hear of aborts, stops, incidents and
 * rollbacks. Described once here for the server, the adapter and the form.
 */

/** What a webhook can ask to be told of. */
export const WEBHOOK_EVENTS = [
  'experiment.aborted',
  'experiment.halted',
  'halt-all',
  'incident.opened',
  'incident.updated',
  'incident.resolved',
  'rollout.rolled-back',
] as const;
export const webhookEventSchema = z.enum(WEBHOOK_EVENTS, {
  error: `an event is one of ${WEBHOOK_EVENTS.join(', ')}`,
});
export type WebhookEvent = z.infer<typeof webhookEventSchema>;

/** What is delivered: a subscribed event, or the admin's "send test". */
export const deliveredEventSchema = z.union([webhookEventSchema, z.literal('test')]);
export type DeliveredEvent = z.infer<typeof deliveredEventSchema>;

export const WEBHOOK_EVENT_LABELS: Record<WebhookEvent, string> = {
  'experiment.aborted': 'Experiment aborted',
  'experiment.halted': 'Experiment halted',
  'halt-all': 'Halt all',
  'incident.opened': 'Incident opened',
  'incident.updated': 'Incident updated',
  'incident.resolved': 'Incident resolved',
  'rollout.rolled-back': 'Rollout rolled back',
};

/** Faultline's own JSON, or a body Slack's incoming webhooks (and look-alikes) accept. */
const WEBHOOK_FORMATS = ['faultline', 'slack'] as const;
export const webhookFormatSchema = z.enum(WEBHOOK_FORMATS, {
  error: 'the format is faultline or slack',
});
export type WebhookFormat = z.infer<typeof webhookFormatSchema>;

/** Most webhooks one server keeps: each event is fanned out to every one of them. */
export const MAX_WEBHOOKS = 50;

const webhookUrlSchema = z
  .string({ error: 'the URL is text' })
  .trim()
  .min(1, 'enter the URL to send to')
  .max(2000, 'a URL is at most 2000 characters')
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
    } catch {
      return false;
    }
  }, 'enter a full http:// or https:// URL')
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.username === '' && url.password === '';
    } catch {
      return true;
    }
  }, 'a URL with a user name or password in it would be shown to every admin: leave it out');

/** What an admin writes: the same for create and for edit. */
export const webhookSpecSchema = z.object({
  name: z
    .string({ error: 'the name is text' })
    .trim()
    .min(1, 'name the webhook')
    .max(100, 'a name is at most 100 characters'),
  url: webhookUrlSchema,
  events: z
    .array(webhookEventSchema, { error: 'choose the events to send' })
    .min(1, 'choose at least one event')
    .max(WEBHOOK_EVENTS.length)
    .refine((events) => new Set(events).size === events.length, 'each event once'),
  format: webhookFormatSchema.default('faultline'),
  /** A disabled webhook keeps its settings and its log, and is sent nothing. */
  enabled: z.boolean({ error: 'enabled is true or false' }).default(true),
});
export type WebhookSpec = z.infer<typeof webhookSpecSchema>;
export type WebhookSpecInput = z.input<typeof webhookSpecSchema>;

/** An edit names the version it was made from; a stale one is refused with 409. */
export const updateWebhookSchema = z.object({
  version: z.number({ error: 'version is a number' }).int(),
  spec: webhookSpecSchema,
  /** Make a new signing secret (shown once in the answer); the old one stops at once. */
  rotateSecret: z.boolean().default(false),
});
export type UpdateWebhookInput = z.input<typeof updateWebhookSchema>;

/** A webhook as the API shows it: never its secret, only the secret's first characters. */
export const webhookSchema = z.object({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  events: z.array(webhookEventSchema),
  format: webhookFormatSchema,
  enabled: z.boolean(),
  /** The secret's first characters, to tell which one a receiver holds. */
  secretHint: z.string(),
  version: z.number().int(),
  createdAt: z.number(),
  createdBy: z.string(),
  updatedAt: z.number(),
});
export type Webhook = z.infer<typeof webhookSchema>;

export const webhookListSchema = z.object({ webhooks: z.array(webhookSchema) });

/** A create (or an edit that rotates the secret): the secret, in this answer only. */
export const webhookWithSecretSchema = webhookSchema.extend({ secret: z.string() });
export type WebhookWithSecret = z.infer<typeof webhookWithSecretSchema>;

const DELIVERY_STATES = ['pending', 'delivered', 'failed'] as const;
const deliveryStateSchema = z.enum(DELIVERY_STATES);

/** One message to one webhook, and how sending it went. */
export const webhookDeliverySchema = z.object({
  id: z.string(),
  webhookId: z.string(),
  event: deliveredEventSchema,
  /** The message's own words: what happened, in one line. */
  summary: z.string(),
  state: deliveryStateSchema,
  attempts: z.number().int(),
  /** The receiver's HTTP status on the last attempt; null when it never answered. */
  lastStatus: z.number().int().nullable(),
  /** Why the last attempt failed, in words; null once delivered. */
  lastError: z.string().nullable(),
  /** epoch ms */
  createdAt: z.number(),
  lastAttemptAt: z.number().nullable(),
  /** When the next attempt is due (pending only). */
  nextAttemptAt: z.number().nullable(),
});
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;

export const webhookDeliveryListSchema = z.object({ deliveries: z.array(webhookDeliverySchema) });

/** The body of the Faultline format (docs/notifications.md). */
export const faultlinePayloadSchema = z.object({
  /** The event's id: the same in every webhook's copy and in every retry. */
  id: z.string(),
  event: deliveredEventSchema,
  /** ISO 8601, when it happened */
  occurredAt: z.string(),
  /** One line, in words. */
  summary: z.string(),
  /** The event's details: the experiment, incident, rollout or halt-all it is about. */
  data: z.record(z.string(), z.unknown()),
});
export type FaultlinePayload = z.infer<typeof faultlinePayloadSchema>;

/** The Slack-compatible body: `text` for notifications, `blocks` for the message itself. */
export const slackPayloadSchema = z.object({
  text: z.string(),
  blocks: z.array(
    z.union([
      z.object({
        type: z.literal('section'),
        text: z.object({ type: z.literal('mrkdwn'), text: z.string() }),
      }),
      z.object({
        type: z.literal('context'),
        elements: z.array(z.object({ type: z.literal('mrkdwn'), text: z.string() })),
      }),
    ]),
  ),
});
export type SlackPayload = z.infer<typeof slackPayloadSchema>;
