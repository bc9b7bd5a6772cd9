import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  deliveredEventSchema,
  webhookDeliverySchema,
  webhookEventSchema,
  webhookFormatSchema,
  webhookSchema,
  type DeliveredEvent,
  type Webhook,
  type WebhookDelivery,
  type WebhookEvent,
  type WebhookSpec,
} from '../../src/domain/webhooks';
import { migrate, type Db } from '../store/database';
import { rowReader, storedValue } from '../store/records';

/** Delivery rows kept per webhook: the newest; older ones (whatever their state) are dropped. */
export const DELIVERIES_KEPT_PER_WEBHOOK = 200;

const WEBHOOK_MIGRATIONS = [
  {
    id: '700-webhooks',
    sql: `
      CREATE TABLE webhooks (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        url TEXT NOT NULL,
        events TEXT NOT NULL,
        format TEXT NOT NULL,
        enabled INTEGER NOT NULL,
        secret TEXT NOT NULL,
        version INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        created_by TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE webhook_deliveries (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        webhook_id TEXT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
        event TEXT NOT NULL,
        summary TEXT NOT NULL,
        body TEXT NOT NULL,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        last_status INTEGER,
        last_error TEXT,
        created_at INTEGER NOT NULL,
        last_attempt_at INTEGER,
        next_attempt_at INTEGER
      );
      CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, seq);
      CREATE INDEX webhook_deliveries_due ON webhook_deliveries (state, next_attempt_at);`,
  },
];

/** A webhook row as stored: the view plus its secret. */
const storedWebhookSchema = webhookSchema.omit({ secretHint: true, events: true }).extend({
  events: z.string().transform((text, ctx) => {
    const parsed = z.array(webhookEventSchema).safeParse(JSON.parse(text));
    if (!parsed.success) {
      ctx.addIssue({ code: 'custom', message: 'events cannot be read' });
      return z.NEVER;
    }
    return parsed.data;
  }),
  format: webhookFormatSchema,
  enabled: z.number().transform((n) => n === 1),
  secret: z.string().min(1),
});
export type StoredWebhook = Omit<Webhook, 'secretHint'> & { secret: string };

const storedDeliverySchema = webhookDeliverySchema.extend({
  event: deliveredEventSchema,
  body: z.string(),
});
export type StoredDelivery = WebhookDelivery & { body: string };

const dueHeadSchema = z.object({ id: z.string(), webhookId: z.string() });
type DueHead = z.infer<typeof dueHeadSchema>;
const countSchema = z.object({ n: z.number().int() });
const nextDueSchema = z.object({ at: z.number().nullable() });
const versionSchema = z.object({ version: z.number().int() });

/** What a new delivery needs: the message is built once, so every retry sends the same bytes. */
interface NewDelivery {
  webhookId: string;
  event: DeliveredEvent;
  summary: string;
  body: string;
  now: number;
}

/** `whsec_` and 32 random bytes: what the receiver keys its HMAC with. */
const newSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

export const newWebhookId = () => `wh_${randomUUID()}`;

export function viewOf(stored: StoredWebhook): Webhook {
  const { secret, ...rest } = stored;
  return { ...rest, secretHint: `${secret.slice(0, 10)}…` };
}

/** Webhooks and their delivery log, in SQLite. */
export function webhookStore(db: Db) {
  migrate(db, WEBHOOK_MIGRATIONS);
  const webhookColumns =
    'id, name, url, events, format, enabled, secret, version, created_at AS createdAt, created_by AS createdBy, updated_at AS updatedAt';
  const deliveryColumns =
    'id, webhook_id AS webhookId, event, summary, body, state, attempts, ' +
    'last_status AS lastStatus, last_error AS lastError, created_at AS createdAt, ' +
    'last_attempt_at AS lastAttemptAt, next_attempt_at AS nextAttemptAt';
  const allWebhooks = db.prepare(`SELECT ${webhookColumns} FROM webhooks ORDER BY seq`);
  const webhookById = db.prepare(`SELECT ${webhookColumns} FROM webhooks WHERE id = ?`);
  const storedVersion = db.prepare('SELECT version FROM webhooks WHERE id = ?');
  const countWebhooks = db.prepare('SELECT COUNT(*) AS n FROM webhooks');
  const insertWebhook = db.prepare(
    `INSERT INTO webhooks (id, name, url, events, format, enabled, secret, version, created_at, created_by, updated_at)
     VALUES (@id, @name, @url, @events, @format, @enabled, @secret, 1, @now, @by, @now)`,
  );
  const updateWebhook = db.prepare(
    `UPDATE webhooks SET name = @name, url = @url, events = @events, format = @format,
       enabled = @enabled, secret = @secret, version = version + 1, updated_at = @now WHERE id = @id`,
  );
  const deleteWebhook = db.prepare('DELETE FROM webhooks WHERE id = ?');

  const insertDelivery = db.prepare(
    `INSERT INTO webhook_deliveries (id, webhook_id, event, summary, body, state, attempts, created_at, next_attempt_at)
     VALUES (@id, @webhookId, @event, @summary, @body, 'pending', 0, @now, @now)`,
  );
  const pruneDeliveries = db.prepare(
    `DELETE FROM webhook_deliveries WHERE webhook_id = @webhookId AND seq <= (
       SELECT seq FROM webhook_deliveries WHERE webhook_id = @webhookId
       ORDER BY seq DESC LIMIT 1 OFFSET @keep)`,
  );
  const deliveryById = db.prepare(`SELECT ${deliveryColumns} FROM webhook_deliveries WHERE id = ?`);
  const deliveriesOf = db.prepare(
    `SELECT ${deliveryColumns} FROM webhook_deliveries WHERE webhook_id = ? ORDER BY seq DESC LIMIT ?`,
  );
  // The oldest due delivery of each webhook, ids only: the worker sends one per webhook at a
  // time, and a backlog behind a dead receiver must not be read (and parsed) on every pass.
  const dueHeads = db.prepare(
    `SELECT id, webhookId FROM (
       SELECT id, webhook_id AS webhookId, next_attempt_at AS dueAt, seq,
         ROW_NUMBER() OVER (PARTITION BY webhook_id ORDER BY next_attempt_at, seq) AS n
       FROM webhook_deliveries WHERE state = 'pending' AND next_attempt_at <= ?)
     WHERE n = 1 ORDER BY dueAt, seq LIMIT ?`,
  );
  const nextDue = db.prepare(
    `SELECT MIN(next_attempt_at) AS at FROM webhook_deliveries
     WHERE state = 'pending' AND next_attempt_at > ?`,
  );
  const recordAttempt = db.prepare(
    `UPDATE webhook_deliveries SET state = @state, attempts = attempts + 1, last_status = @lastStatus,
       last_error = @lastError, last_attempt_at = @at, next_attempt_at = @nextAttemptAt
     WHERE id = @id AND state = 'pending'`,
  );

  const webhooks = rowReader(db, 'webhook', storedWebhookSchema, () => allWebhooks.all());
  const deliveries = rowReader(db, 'webhook-delivery', storedDeliverySchema);
  const row = (spec: WebhookSpec) => ({
    name: spec.name,
    url: spec.url,
    events: JSON.stringify(spec.events),
    format: spec.format,
    enabled: spec.enabled ? 1 : 0,
  });

  return {
    list: (): StoredWebhook[] => webhooks.many(allWebhooks.all()),
    get: (id: string): StoredWebhook | null => webhooks.one(webhookById.get(id)),
    /** The stored version of a row, readable or not; null when there is no such row. */
    storedVersion(id: string): number | null {
      const row = storedVersion.get(id);
      return row === undefined ? null : storedValue(versionSchema, row, { version: -1 }).version;
    },
    count: (): number => storedValue(countSchema, countWebhooks.get(), { n: 0 }).n,
    /** The enabled webhooks that asked for `event`. */
    subscribedTo(event: WebhookEvent): StoredWebhook[] {
      return webhooks
        .many(allWebhooks.all())
        .filter((webhook) => webhook.enabled && webhook.events.includes(event));
    },
    create(id: string, spec: WebhookSpec, by: string, now: number): StoredWebhook {
      insertWebhook.run({ id, ...row(spec), secret: newSecret(), now, by });
      return webhooks.one(webhookById.get(id))!;
    },
    update(before: StoredWebhook, spec: WebhookSpec, rotateSecret: boolean, now: number) {
      const secret = rotateSecret ? newSecret() : before.secret;
      updateWebhook.run({ id: before.id, ...row(spec), secret, now });
      return webhooks.one(webhookById.get(before.id))!;
    },
    /** Removes the webhook and its delivery log. */
    remove(id: string): void {
      deleteWebhook.run(id);
    },

    /** Queues one message; keeps the webhook's log to its newest rows. */
    enqueue(delivery: NewDelivery): StoredDelivery {
      const id = `dl_${randomUUID()}`;
      insertDelivery.run({ id, ...delivery });
      pruneDeliveries.run({ webhookId: delivery.webhookId, keep: DELIVERIES_KEPT_PER_WEBHOOK });
      return deliveries.one(deliveryById.get(id))!;
    },
    delivery: (id: string): StoredDelivery | null => deliveries.one(deliveryById.get(id)),
    /** A webhook's log, newest first. */
    deliveries(webhookId: string, limit = DELIVERIES_KEPT_PER_WEBHOOK): WebhookDelivery[] {
      return deliveries
        .many(deliveriesOf.all(webhookId, limit))
        .map(({ body: _body, ...view }) => view);
    },
    /** The oldest due delivery of each webhook (id and webhook), oldest first. */
    dueHeads: (now: number, limit: number): DueHead[] =>
      dueHeads
        .all(now, limit)
        .map((head) => storedValue(dueHeadSchema.nullable(), head, null))
        .filter((head) => head !== null),
    /** When the earliest delivery not yet due at `now` is due, or null when there is none. */
    nextDueAfter: (now: number): number | null =>
      storedValue(nextDueSchema, nextDue.get(now), { at: null }).at,
    /** Writes how an attempt went; false when the row is gone (its webhook was deleted). */
    recordAttempt(
      id: string,
      outcome: {
        state: WebhookDelivery['state'];
        lastStatus: number | null;
        lastError: string | null;
        at: number;
        nextAttemptAt: number | null;
      },
    ): boolean {
      return recordAttempt.run({ id, ...outcome }).changes > 0;
    },
  };
}
export type WebhookStore = ReturnType<typeof webhookStore>;
