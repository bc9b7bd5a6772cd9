import {
  DELIVERY_HEADER,
  EVENT_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  signature,
} from './signing';
import type { StoredDelivery, WebhookStore } from './webhook-store';

export interface DeliveryPolicy {
  /** Tries per message, the first one included. */
  maxAttempts: number;
  /** How long one attempt may take, connecting and answering, before it counts as failed, ms. */
  timeoutMs: number;
  /** The first retry's delay, ms; it doubles with each failed attempt, with jitter. */
  retryBaseMs: number;
  /** No retry waits longer than this, ms (a receiver's Retry-After included). */
  retryMaxMs: number;
  /**
   * Messages in flight at once, over every webhook (one per webhook): room for several
   * receivers that hold requests open without starving the others.
   */
  concurrency: number;
}

/** 5 tries over about 2.5 minutes (10 s, 20 s, 40 s, 80 s, each jittered down to half). */
export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  maxAttempts: 5,
  timeoutMs: 10_000,
  retryBaseMs: 10_000,
  retryMaxMs: 10 * 60_000,
  concurrency: 16,
};

interface DeliveryWorkerDeps {
  store: WebhookStore;
  policy: DeliveryPolicy;
  /**
   * Wall-clock time, epoch ms. Delivery talks to real receivers in real time, so it keeps its
   * own clock rather than the server's (which tests move by hand).
   */
  now?: () => number;
  /** 0 ≤ n < 1, for the jitter. */
  random?: () => number;
  fetch?: typeof fetch;
  /** Told after every attempt has been written (the stream tells the delivery log to refresh). */
  onAttempt?: (delivery: StoredDelivery) => void;
}

export interface DeliveryWorker {
  /** Sends what is due now; call after queueing. */
  kick(): void;
  /** Stops: in-flight attempts are cut off and stay pending, to be sent again after a restart. */
  close(): void;
}

/** Webhooks with due deliveries looked at per pass (a server keeps at most 50). */
const DUE_BATCH = 100;

const RETRYABLE_4XX = new Set([408, 425, 429]);

/** The delay before the next try after `failedAttempts` failures: doubling, with jitter. */
function retryDelayMs(
  policy: DeliveryPolicy,
  failedAttempts: number,
  random: () => number,
): number {
  const full = Math.min(policy.retryMaxMs, policy.retryBaseMs * 2 ** (failedAttempts - 1));
  // "Equal jitter": half the delay is kept, the other half drawn, so receivers that failed
  // together do not all come back at the same instant.
  return Math.round(full / 2 + (random() * full) / 2);
}

function describeFailure(error: unknown, timedOut: boolean, timeoutMs: number): string {
  if (timedOut) return `no answer within ${timeoutMs} ms`;
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    if (cause instanceof Error) {
      const code = (cause as Error & { code?: unknown }).code;
      return (typeof code === 'string' ? `${code}: ${cause.message}` : cause.message).slice(0, 300);
    }
    return error.message.slice(0, 300);
  }
  return String(error).slice(0, 300);
}

/** Retry-After in seconds (the only form a webhook receiver sends in practice), in ms. */
function retryAfterMs(header: string | null): number | null {
  if (!header || !/^\d{1,6}$/.test(header.trim())) return null;
  return Number(header.trim()) * 1000;
}

/**
 * Sends queued deliveries, each signed at the moment it is sent, never more than
 * `concurrency` at once, retrying failures with backoff. It only ever reads the queue in
 * SQLite, so nothing the engine or a stop does waits for it, and what is pending when the
 * server stops is picked up when it starts again.
 */
export function createDeliveryWorker(deps: DeliveryWorkerDeps): DeliveryWorker {
  const { store, policy } = deps;
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const send = deps.fetch ?? fetch;
  /** Delivery id → its webhook's id, and the controller that cuts it off. */
  const inFlight = new Map<string, string>();
  const controllers = new Map<string, AbortController>();
  let timer: NodeJS.Timeout | null = null;
  let closed = false;

  async function attempt(delivery: StoredDelivery): Promise<void> {
    const webhook = store.get(delivery.webhookId);
    const at = now();
    if (!webhook) {
      // Deleted (and its log with it: nothing is written), or stored but unreadable: then the
      // delivery fails for good, or it would be due again at once, forever.
      store.recordAttempt(delivery.id, {
        state: 'failed',
        lastStatus: null,
        lastError: 'not sent: the webhook cannot be read',
        at,
        nextAttemptAt: null,
      });
      return;
    }
    // A test is sent even to a disabled webhook: it is how an admin tries one before enabling it.
    if (!webhook.enabled && delivery.event !== 'test') {
      store.recordAttempt(delivery.id, {
        state: 'failed',
        lastStatus: null,
        lastError: 'not sent: the webhook is disabled',
        at,
        nextAttemptAt: null,
      });
      return;
    }
    const timestamp = Math.floor(at / 1000);
    const controller = new AbortController();
    inFlight.set(delivery.id, delivery.webhookId);
    controllers.set(delivery.id, controller);
    let timedOut = false;
    const timeout = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, policy.timeoutMs);
    let status: number | null = null;
    let error: string | null = null;
    let retryAfter: number | null = null;
    try {
      const response = await send(webhook.url, {
        method: 'POST',
        body: delivery.body,
        redirect: 'manual',
        signal: controller.signal,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Faultline-Webhooks/1',
          [EVENT_HEADER]: delivery.event,
          [DELIVERY_HEADER]: delivery.id,
          [TIMESTAMP_HEADER]: String(timestamp),
          [SIGNATURE_HEADER]: signature(webhook.secret, timestamp, delivery.body),
        },
      });
      status = response.status;
      retryAfter = retryAfterMs(response.headers.get('retry-after'));
      // The answer's body is not wanted: let the connection go.
      await response.body?.cancel().catch(() => {});
      if (status < 200 || status >= 300)
        error =
          status >= 300 && status < 400
            ? `HTTP ${status}: redirects are not followed; give the final URL`
            : `HTTP ${status}`;
    } catch (failure) {
      error = describeFailure(failure, timedOut, policy.timeoutMs);
    } finally {
      clearTimeout(timeout);
      inFlight.delete(delivery.id);
      controllers.delete(delivery.id);
    }
    // Cut off by a shutdown: it stays pending and is sent again after the restart.
    if (closed) return;
    const attempts = delivery.attempts + 1;
    const final =
      error === null ||
      attempts >= policy.maxAttempts ||
      (status !== null && status >= 300 && status < 500 && !RETRYABLE_4XX.has(status));
    const delay = Math.min(
      policy.retryMaxMs,
      Math.max(retryDelayMs(policy, attempts, random), retryAfter ?? 0),
    );
    const finishedAt = now();
    store.recordAttempt(delivery.id, {
      state: error === null ? 'delivered' : final ? 'failed' : 'pending',
      lastStatus: status,
      lastError: error,
      at: finishedAt,
      nextAttemptAt: final ? null : finishedAt + delay,
    });
    const written = store.delivery(delivery.id);
    if (written) deps.onAttempt?.(written);
  }

  function pump(): void {
    if (closed) return;
    if (timer) clearTimeout(timer);
    timer = null;
    const at = now();
    const free = policy.concurrency - inFlight.size;
    if (free > 0) {
      // One message at a time per webhook, so a receiver that answers gets them in order.
      const busy = new Set(inFlight.values());
      const due: StoredDelivery[] = [];
      for (const head of store.dueHeads(at, DUE_BATCH)) {
        if (due.length >= free) break;
        if (busy.has(head.webhookId)) continue;
        const delivery = store.delivery(head.id);
        if (!delivery) continue;
        busy.add(head.webhookId);
        due.push(delivery);
      }
      for (const delivery of due) {
        void attempt(delivery)
          .catch((error: unknown) => {
            console.error(`faultline: webhook delivery ${delivery.id} failed to run`, error);
          })
          .finally(pump);
      }
    }
    const next = store.nextDueAfter(at);
    if (next !== null) {
      timer = setTimeout(pump, Math.max(1, next - at));
      // Pending retries never keep a process alive that is otherwise done.
      timer.unref();
    }
  }

  return {
    kick: pump,
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      for (const controller of controllers.values()) controller.abort();
    },
  };
}
