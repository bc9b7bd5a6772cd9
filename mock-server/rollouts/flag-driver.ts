import type { FlagRolloutSpec as Spec } from '../../src/domain';
import type { Actor, MutationScope } from '../context';
import type { CohortUser } from '../flags/cohort';
import type { FlagModule } from '../flags/flag-module';

/** What a guarded flag rollout does to its flag, each inside the rollout's own change. */
export interface FlagDriver {
  /**
   * Serves the rolled-out variant to `weight` % (the flag on); returns the share of the traffic
   * (0–1) the flag now serves it: of the known users, or of a real service's requests. Null when
   * it cannot be known (no users known; rules before the rollout's take an unknown part of a real
   * service's requests).
   */
  roll(actor: Actor, spec: Spec, weight: number, scope: MutationScope): number | null;
  /** The kill switch: the flag off in the rollout's environment. True when it was on. */
  kill(actor: Actor, spec: Spec, scope: MutationScope): boolean;
  /** Why the rollout cannot drive its flag now (deleted, no longer read by the service), or null. */
  problem(spec: Spec): string | null;
  /** How many users the sample-ratio check counts (the units a flag buckets). */
  units(): number;
}

/** Why a flag cannot be rolled out on a service, or null; `variant` must be set. */
export function flagRolloutProblem(flags: FlagModule, spec: Spec): string | null {
  const flag = flags.flag(spec.flagKey);
  if (!flag) return `flag ${spec.flagKey} does not exist`;
  if (!flag.services.includes(spec.service)) {
    return flag.services.length === 0
      ? `flag ${spec.flagKey} lists no service: name the services that read it`
      : `flag ${spec.flagKey} is not read by ${spec.service} (it is read by ${flag.services.join(', ')})`;
  }
  if (spec.variant !== undefined && !(spec.variant in flag.variants)) {
    return `flag ${spec.flagKey} has no variant "${spec.variant}"`;
  }
  return null;
}

/**
 * `users`: the users whose requests reach the fleet, as the backend knows them. `realTraffic`:
 * whether a real service serves an environment's requests (they are counted, not its users).
 */
export function flagDriver(
  flags: FlagModule,
  users: () => readonly CohortUser[],
  realTraffic: (environment: Spec['environment']) => boolean = () => false,
): FlagDriver {
  return {
    roll(actor, spec, weight, scope) {
      const flag = flags.flag(spec.flagKey);
      const variant =
        spec.variant ?? Object.keys(flag?.variants ?? {}).find((v) => v !== flag?.offVariant);
      if (!variant) throw new Error(`flag ${spec.flagKey} has no variant to roll out`);
      const rolled = flags.rollTo(actor, spec.flagKey, spec.environment, variant, weight, scope);
      if (realTraffic(spec.environment)) {
        // Every request reaches the rollout's rule only when no rule comes before it.
        return rolled.environments[spec.environment].rules.length === 1 ? weight / 100 : null;
      }
      const known = users();
      if (known.length === 0) return null;
      const cohort = flags.cohortAlone({
        flagKey: spec.flagKey,
        service: spec.service,
        environment: spec.environment,
        users: known,
      });
      return 'refused' in cohort ? 0 : cohort.on.length / known.length;
    },
    kill(actor, spec, scope) {
      const flag = flags.flag(spec.flagKey);
      if (!flag || flag.environments[spec.environment].state === 'off') return false;
      flags.kill(actor, spec.flagKey, spec.environment, scope);
      return true;
    },
    problem: (spec) => flagRolloutProblem(flags, spec),
    units: () => users().length,
  };
}
