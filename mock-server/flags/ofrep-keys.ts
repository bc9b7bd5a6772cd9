import type { Environment } from '../../src/domain';
import type { NewOfrepKey, OfrepKey } from '../../src/domain/flags';
import type { Actor, CoreContext } from '../context';
import { hashSecret, newSecret } from '../secrets';
import { OFREP_KEY_HINT_LENGTH, type FlagStore, type StoredOfrepKey } from './flag-store';

function newKey(environment: Environment): string {
  return `ff_${environment.slice(0, 4)}_${newSecret()}`;
}

const view = ({ environment, hint, createdAt }: StoredOfrepKey): OfrepKey => ({
  environment,
  hint,
  createdAt,
});

/**
 * At most one OFREP API key per environment: the key an application sends chooses the
 * environment. Only a SHA-256 hash is stored; a key is shown once, in the answer that made it.
 * An environment has no key until an admin makes one.
 */
export function ofrepKeys(store: FlagStore, ctx: Pick<CoreContext, 'clock' | 'mutate'>) {
  let byHash = new Map<string, Environment>();
  const reload = () => {
    byHash = new Map(store.ofrepKeys().map((row) => [row.hash, row.environment]));
  };
  reload();

  return {
    list: (): OfrepKey[] => store.ofrepKeys().map(view),
    environmentFor: (key: string): Environment | null => byHash.get(hashSecret(key)) ?? null,
    /** Makes a new key for an environment, in place of its old one (which stops working at once), with its audit row. */
    rotate(actor: Actor, environment: Environment): NewOfrepKey {
      const key = newKey(environment);
      try {
        return ctx.mutate(
          actor,
          'ofrep-key.rotate',
          { type: 'ofrep-key', id: environment },
          (scope) => {
            const before = store.ofrepKeys().find((row) => row.environment === environment);
            const stored: StoredOfrepKey = {
              environment,
              hash: hashSecret(key),
              hint: key.slice(0, OFREP_KEY_HINT_LENGTH),
              createdAt: ctx.clock.now(),
            };
            store.putOfrepKey(stored);
            scope.publish({ type: 'resource', resource: 'ofrep-keys', change: 'updated' });
            // The audit row names keys by their first characters, never the key.
            return {
              before: before ? view(before) : null,
              after: view(stored),
              result: { ...view(stored), key },
            };
          },
        );
      } finally {
        reload();
      }
    },
  };
}
export type OfrepKeys = ReturnType<typeof ofrepKeys>;
