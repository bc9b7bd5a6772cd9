import { randomUUID } from 'node:crypto';
import type { CoreContext } from '../context';
import type { DeliveryWorker } from './delivery-worker';
import { messageBody, noticeOf, triggerOf, type NoticeLookups, type Trigger } from './messages';
import type { WebhookStore } from './webhook-store';

/** Triggers held in memory between the event and its write to the queue (one turn of the loop). */
const MAX_WAITING = 1000;

/**
 * Listens to the event bus, where every abort, halt, halt all, incident change and rollback is
 * published once its transaction has committed. The listener runs on the stop's path, so it
 * only picks the event out and holds on to it; building the messages and writing them to the
 * delivery queue happen on a later turn of the event loop, and sending is the worker's.
 */
export function queueNotifications(input: {
  ctx: CoreContext;
  store: WebhookStore;
  worker: DeliveryWorker;
  lookups: NoticeLookups;
  now: () => number;
}): { stop(): void } {
  const { ctx, store, worker, lookups, now } = input;
  let waiting: Trigger[] = [];
  let scheduled: NodeJS.Immediate | null = null;
  let stopped = false;

  function flush(): void {
    scheduled = null;
    if (stopped) return;
    const batch = waiting;
    waiting = [];
    try {
      ctx.db.transaction(() => {
        for (const trigger of batch) {
          const webhooks = store.subscribedTo(trigger.event);
          if (webhooks.length === 0) continue;
          const notice = noticeOf(trigger, `ev_${randomUUID()}`, lookups);
          if (!notice) continue;
          for (const webhook of webhooks)
            store.enqueue({
              webhookId: webhook.id,
              event: notice.event,
              summary: notice.summary,
              body: messageBody(notice, webhook.format),
              now: now(),
            });
        }
      })();
    } catch (error) {
      console.error('faultline: notifications could not be queued', error);
    }
    worker.kick();
  }

  const unsubscribe = ctx.bus.subscribe((record) => {
    const trigger = triggerOf(record.event, record.at);
    if (!trigger) return;
    if (waiting.length >= MAX_WAITING) waiting.shift();
    waiting.push(trigger);
    scheduled ??= setImmediate(flush);
  });

  return {
    /** Writes what is waiting to the queue (sent after a restart), then listens no more. */
    stop() {
      unsubscribe();
      if (scheduled) {
        clearImmediate(scheduled);
        flush();
      }
      stopped = true;
    },
  };
}
