import { isIP } from 'node:net';
import { watchCanaryWeight, type CanaryWeightSource } from './canary-weight';
import type { CartLine, CheckoutRequest } from './checkout';
import { seededRandom, shopUsers, type ShopUser } from './users';

const CATALOG: readonly { sku: string; priceCents: number }[] = [
  { sku: 'mug', priceCents: 1_200 },
  { sku: 'notebook', priceCents: 650 },
  { sku: 'hoodie', priceCents: 4_900 },
  { sku: 'sticker-pack', priceCents: 300 },
  { sku: 'backpack', priceCents: 7_800 },
  { sku: 'cap', priceCents: 1_900 },
  { sku: 'socks', priceCents: 900 },
];

/** A cart of 1 to 6 lines, small ones most often (about 1 in 6 has 5 lines or more). */
export function randomCart(random: () => number): CartLine[] {
  const lines = 1 + Math.floor(random() ** 2 * 6);
  return Array.from({ length: lines }, (_, i) => {
    const item = CATALOG[(Math.floor(random() * CATALOG.length) + i) % CATALOG.length]!;
    return { ...item, quantity: 1 + Math.floor(random() * 3) };
  });
}

export interface TrafficOptions {
  /** Base URLs of the shop instances' edges; loopback only. With `canary`, the stable ones. */
  targets: string[];
  /**
   * The canary's instances (loopback only) and where their weight is read: each request goes to
   * a canary instance with the probability Faultline's `faultline_canary_weight` says, else to
   * the next stable one. Without a weight (no rollout sends the canary traffic) they get none.
   */
  canary?: { targets: string[]; weightFrom: CanaryWeightSource };
  /** Requests per second over all targets. */
  ratePerSecond: number;
  /** Stops after this long, in ms. */
  durationMs: number;
  /** Stops after this many requests. */
  maxRequests: number;
  /** Requests waiting for an answer at most; past it a tick is skipped, not queued. */
  maxInFlight?: number;
  /** A request not answered after this long counts as a timeout, in ms. */
  timeoutMs?: number;
  seed?: number;
  users?: ShopUser[];
  signal?: AbortSignal;
}

interface TrafficSummary {
  sent: number;
  /** Answers by status code; `timeout` and `failed` for no answer. */
  byStatus: Record<string, number>;
  skipped: number;
  /** Requests sent to the canary's instances. */
  toCanary: number;
}

function checkLoopback(field: string, target: string): void {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new Error(`${field}: "${target}" is not a URL`);
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const loopback =
    host === 'localhost' || (isIP(host) === 4 ? host.startsWith('127.') : host === '::1');
  if (url.protocol !== 'http:' || !loopback)
    throw new Error(`${field}: "${target}" is not a loopback http URL`);
}

/** Refuses any target that is not a loopback http URL: the traffic never leaves the machine. */
export function checkTargets(targets: readonly string[], field = 'targets'): void {
  if (targets.length === 0) throw new Error(`${field}: name at least one shop URL`);
  for (const [index, target] of targets.entries()) checkLoopback(`${field}.${index}`, target);
}

/**
 * Simulated users checking out, spread over the shop's instances: each request is a user
 * (id, email, country, company) with a cart. Bounded in time and count; never queues more than
 * `maxInFlight` requests.
 */
export async function runTraffic(options: TrafficOptions): Promise<TrafficSummary> {
  checkTargets(options.targets);
  const canary = options.canary;
  if (canary) {
    checkTargets(canary.targets, 'canary.targets');
    checkLoopback('canary.weightFrom', canary.weightFrom.faultlineUrl);
  }
  const random = seededRandom(options.seed ?? 1);
  // Its own stream, so that the users and carts a seed gives do not depend on the routing.
  const route = seededRandom((options.seed ?? 1) ^ 0x5bd1e995);
  const users = options.users ?? shopUsers(random);
  const maxInFlight = options.maxInFlight ?? 64;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const summary: TrafficSummary = { sent: 0, byStatus: {}, skipped: 0, toCanary: 0 };
  const count = (key: string) => (summary.byStatus[key] = (summary.byStatus[key] ?? 0) + 1);
  const inFlight = new Set<Promise<void>>();
  const intervalMs = 1000 / options.ratePerSecond;
  const until = Date.now() + options.durationMs;

  const send = async (target: string, body: CheckoutRequest) => {
    try {
      const response = await fetch(`${target}/checkout`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.arrayBuffer();
      count(String(response.status));
    } catch (error) {
      count((error as Error).name === 'TimeoutError' ? 'timeout' : 'failed');
    }
  };

  const weight = canary ? await watchCanaryWeight(canary.weightFrom) : null;
  let toStable = 0;
  /** The canary's share goes to the canary's instances, the rest round-robin over stable. */
  const nextTarget = () => {
    if (canary && weight && route() < weight.current())
      return canary.targets[summary.toCanary++ % canary.targets.length]!;
    return options.targets[toStable++ % options.targets.length]!;
  };

  try {
    let next = Date.now();
    while (summary.sent < options.maxRequests && Date.now() < until && !options.signal?.aborted) {
      if (inFlight.size >= maxInFlight) summary.skipped += 1;
      else {
        const user = users[Math.floor(random() * users.length)]!;
        const target = nextTarget();
        const request = send(target, { user, cart: randomCart(random) });
        inFlight.add(request);
        void request.finally(() => inFlight.delete(request));
        summary.sent += 1;
      }
      next += intervalMs;
      const wait = Math.max(0, next - Date.now());
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  } finally {
    await weight?.stop();
  }
  await Promise.all(inFlight);
  return summary;
}
