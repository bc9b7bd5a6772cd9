import { createHash } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { z } from 'zod';

const cartLineSchema = z.object({
  sku: z.string().min(1).max(64),
  /** Unit price, in cents. */
  priceCents: z.number().int().min(1).max(1_000_000),
  quantity: z.number().int().min(1).max(99),
});
export type CartLine = z.infer<typeof cartLineSchema>;

export const checkoutRequestSchema = z.object({
  user: z.object({
    id: z.string().min(1).max(100),
    email: z.string().min(3).max(200),
    country: z.string().min(2).max(2),
    company: z.string().min(1).max(100),
  }),
  cart: z.array(cartLineSchema).min(1).max(20),
});
export type CheckoutRequest = z.infer<typeof checkoutRequestSchema>;

/** Carts of this many lines or more get the multi-buy discount. */
export const MULTI_BUY_LINES = 5;
/** The multi-buy discount, in %. */
const MULTI_BUY_PERCENT = 10;

export interface PricingCosts {
  /** CPU work of the classic path (hashing rounds: fraud score, tax tables). */
  classicWork: number;
  /** CPU work of the new one-page path, done in chunks between which other requests run. */
  newWork: number;
  /** The new path reserves stock one line at a time: this long per line, in ms. */
  newReservationMsPerLine: number;
  /** The new path gives up pricing after this long, in ms (answered 503). */
  newPricingDeadlineMs: number;
}

export const DEFAULT_COSTS: PricingCosts = {
  classicWork: 100,
  newWork: 400,
  newReservationMsPerLine: 3,
  newPricingDeadlineMs: 40,
};

export type CheckoutOutcome =
  | { status: 200; checkout: 'classic' | 'new'; totalCents: number }
  | { status: 500 | 503; checkout: 'new'; error: string };

const block = Buffer.alloc(1024, 7);

/** Real CPU work: `rounds` chained SHA-256 digests of 1 KiB (about 5 µs each on an idle core). */
function burn(rounds: number): Buffer {
  let digest = block;
  for (let i = 0; i < rounds; i++)
    digest = createHash('sha256').update(block).update(digest).digest();
  return digest;
}

const subtotal = (cart: readonly CartLine[]) =>
  cart.reduce((sum, line) => sum + line.priceCents * line.quantity, 0);

const discountOf = (cents: number) => Math.round((cents * MULTI_BUY_PERCENT) / 100);

/** The classic checkout: the multi-buy discount once, on the cart. */
export function classicCheckout(cart: readonly CartLine[], costs = DEFAULT_COSTS): CheckoutOutcome {
  burn(costs.classicWork);
  const gross = subtotal(cart);
  const totalCents = cart.length >= MULTI_BUY_LINES ? gross - discountOf(gross) : gross;
  return { status: 200, checkout: 'classic', totalCents };
}

/**
 * The new one-page checkout, with its defects: it is slower (more work, stock reserved one
 * line at a time), it gives up when pricing takes longer than its deadline (which happens
 * more and more as the CPU is contended: its chunks wait their turn), and it applies the
 * multi-buy discount to each line and again to the cart, so the payment step's integrity
 * check refuses every multi-buy cart (500).
 */
export async function newCheckout(
  cart: readonly CartLine[],
  costs = DEFAULT_COSTS,
  now: () => number = performance.now.bind(performance),
): Promise<CheckoutOutcome> {
  const started = now();
  const chunks = 8;
  for (let chunk = 0; chunk < chunks; chunk++) {
    burn(Math.ceil(costs.newWork / chunks));
    await nextTurn();
  }
  if (now() - started > costs.newPricingDeadlineMs) {
    return { status: 503, checkout: 'new', error: 'pricing timed out' };
  }
  for (let line = 0; line < cart.length; line++) {
    await new Promise((resolve) => setTimeout(resolve, costs.newReservationMsPerLine));
  }
  const multiBuy = cart.length >= MULTI_BUY_LINES;
  const lines = cart.map((line) => {
    const cents = line.priceCents * line.quantity;
    return multiBuy ? cents - discountOf(cents) : cents;
  });
  const linesTotal = lines.reduce((sum, cents) => sum + cents, 0);
  const totalCents = multiBuy ? linesTotal - discountOf(linesTotal) : linesTotal;
  if (totalCents !== linesTotal) {
    return {
      status: 500,
      checkout: 'new',
      error: 'payment refused: the total does not match its lines',
    };
  }
  return { status: 200, checkout: 'new', totalCents };
}
