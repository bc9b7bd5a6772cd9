import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-faultline-signature';
export const TIMESTAMP_HEADER = 'x-faultline-timestamp';
export const EVENT_HEADER = 'x-faultline-event';
export const DELIVERY_HEADER = 'x-faultline-delivery';

/**
 * `sha256=` and the hex HMAC-SHA256, keyed with the webhook's secret, of the timestamp (Unix
 * seconds), a dot and the raw body. The timestamp is inside what is signed, so a receiver that
 * refuses old timestamps cannot be sent a captured request again later (docs/notifications.md).
 */
export function signature(secret: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
  return `sha256=${mac}`;
}

/**
 * What a receiver does: true when `header` is the signature of `body` at `timestampSeconds` and
 * that timestamp is within `toleranceSeconds` of `nowSeconds`. Compared in constant time.
 */
export function verifySignature(input: {
  secret: string;
  body: string;
  header: string | undefined;
  timestampSeconds: number;
  nowSeconds: number;
  toleranceSeconds?: number;
}): boolean {
  const { secret, body, header, timestampSeconds, nowSeconds } = input;
  if (!header || !Number.isFinite(timestampSeconds)) return false;
  if (Math.abs(nowSeconds - timestampSeconds) > (input.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signature(secret, timestampSeconds, body));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
