import type { Environment } from '../../src/domain';
import type { Evaluator } from './evaluator';
import type { FlagStore } from './flag-store';

/** A user whose requests reach the fleet: what flag targeting reads. */
export interface CohortUser {
  id: string;
  email: string;
  country: string;
  company: string;
}

export type FlagCohort =
  | {
      flagKey: string;
      service: string;
      environment: Environment;
      /** Users served the flag's new code path: any variant other than its off variant. */
      on: CohortUser[];
      off: CohortUser[];
    }
  | { refused: string };

/**
 * Splits users into a flag's on- and off-cohort for one service in one environment, evaluating
 * each user (targetingKey = id, email, country, company) with flagd-core exactly as OFREP would.
 * A flag that is off there has an empty on-cohort. Refused: an unknown flag, or one that the
 * service does not read (a flag with no services listed is read by every service).
 */
export function flagCohort(
  store: FlagStore,
  evaluator: Evaluator,
  input: {
    flagKey: string;
    service: string;
    environment: Environment;
    users: readonly CohortUser[];
  },
): FlagCohort {
  const { flagKey, service, environment, users } = input;
  const flag = store.getFlag(flagKey);
  if (!flag) return { refused: `flag ${flagKey} does not exist` };
  if (flag.services.length > 0 && !flag.services.includes(service)) {
    return {
      refused: `flag ${flagKey} is not read by ${service} (it is read by ${flag.services.join(', ')})`,
    };
  }
  const on: CohortUser[] = [];
  const off: CohortUser[] = [];
  for (const user of users) {
    const evaluation = evaluator.evaluate(environment, flagKey, {
      targetingKey: user.id,
      email: user.email,
      country: user.country,
      company: user.company,
    });
    const served =
      evaluation.ok && evaluation.reason !== 'DISABLED' && evaluation.variant !== flag.offVariant;
    (served ? on : off).push(user);
  }
  return { flagKey, service, environment, on, off };
}
