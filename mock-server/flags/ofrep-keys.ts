import { randomBytes } from 'node:crypto';
import { ENVIRONMENTS, type Environment } from '../../src/domain';
import type { OfrepKey } from '../../src/domain/flags';
import type { Clock } from '../clock';
import type { FlagStore } from './flag-store';

function newKey(environment: Environment): string {
  // 24 random bytes: not derived from the simulation's seeded random source.
  return `ff_${environment.slice(0, 4)}_${randomBytes(24).toString('base64url')}`;
}

/** One OFREP API key per environment: the key an application sends chooses the environment. */
export function ofrepKeys(store: FlagStore, clock: Clock) {
  let byKey = new Map<string, Environment>();
  const reload = () => {
    byKey = new Map(store.ofrepKeys().map((row) => [row.key, row.environment]));
  };
  const have = new Set(store.ofrepKeys().map((row) => row.environment));
  for (const environment of ENVIRONMENTS)
    if (!have.has(environment)) store.putOfrepKey(environment, newKey(environment), clock.now());
  reload();

  return {
    list: (): OfrepKey[] => store.ofrepKeys(),
    environmentFor: (key: string): Environment | null => byKey.get(key) ?? null,
    keyFor(environment: Environment): string {
      const row = store.ofrepKeys().find((r) => r.environment === environment);
      if (!row) throw new Error(`no OFREP key for ${environment}`);
      return row.key;
    },
    /** Replaces an environment's key; the old one stops working at once. */
    rotate(environment: Environment): OfrepKey {
      const key = newKey(environment);
      store.putOfrepKey(environment, key, clock.now());
      reload();
      return { environment, key };
    },
  };
}
export type OfrepKeys = ReturnType<typeof ofrepKeys>;
