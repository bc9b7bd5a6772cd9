import { OFREPProvider } from '@openfeature/ofrep-provider';
import { OpenFeature, type Client, type Hook } from '@openfeature/server-sdk';
import type { Counter } from 'prom-client';
import type { ShopUser } from './users';

/** The flag that chooses the checkout path. */
export const NEW_CHECKOUT_FLAG = 'new-checkout';

/**
 * Counts every evaluation by flag, variant and reason. An evaluation that failed (Faultline
 * unreachable, an error answered) has no variant: it counts as `fallback`, reason ERROR, so a
 * chart shows how many users got the fallback value.
 */
export function evaluationCounter(counter: Counter<'flag' | 'variant' | 'reason'>): Hook {
  return {
    finally(hookContext, details) {
      counter.inc({
        flag: hookContext.flagKey,
        variant: details.variant ?? (details.errorCode ? 'fallback' : String(details.value)),
        reason: details.reason ?? 'UNKNOWN',
      });
    },
  };
}

interface FlagClientOptions {
  /** OpenFeature domain: one per shop instance, so several can share a process in tests. */
  domain: string;
  /** Faultline's base URL; its OFREP endpoint is under /ofrep/v1. */
  faultlineUrl: string;
  /** The environment's OFREP API key. */
  apiKey: string;
  /** An evaluation taking longer than this uses the fallback value, in ms. */
  timeoutMs: number;
  hooks: Hook[];
}

/** An OpenFeature client reading Faultline's flags through the OFREP provider. */
export async function flagClient(options: FlagClientOptions): Promise<Client> {
  const provider = new OFREPProvider({
    baseUrl: options.faultlineUrl,
    headers: [['X-API-Key', options.apiKey]],
    fetchImplementation: (input, init) =>
      fetch(input, { ...init, signal: AbortSignal.timeout(options.timeoutMs) }),
  });
  await OpenFeature.setProviderAndWait(options.domain, provider);
  const client = OpenFeature.getClient(options.domain);
  client.addHooks(...options.hooks);
  return client;
}

/** The evaluation context of a user: what targeting rules read. */
export function contextOf(user: ShopUser) {
  return {
    targetingKey: user.id,
    email: user.email,
    country: user.country,
    company: user.company,
  };
}
