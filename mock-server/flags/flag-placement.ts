import { ENVIRONMENTS, type Environment } from '../../src/domain';
import type { Flag } from '../../src/domain/flags';
import type { ServerContext } from '../context';
import { reserveHosts, type CodePathDefect, type CohortSplit } from '../simulation/traffic-split';
import type { FlagModule } from './flag-module';

/** Where one flag's on-cohort is served for one service in one environment, or why it is not. */
export type Placement =
  | { split: CohortSplit; refused: null; users: { on: number; total: number } }
  | { split: null; refused: string; users: { on: number; total: number } };

const key = (service: string, environment: Environment) => `${service}|${environment}`;

/**
 * Flag cohorts placed on the fleet: for every service a flag lists, in every environment, the
 * hosts reserved for its on-cohort. Computed from the flags and the simulated users only when
 * a flag or a segment changes (the stream tells), so a tick only looks them up.
 */
export function flagPlacements(
  ctx: ServerContext,
  flags: FlagModule,
  defects: readonly CodePathDefect[],
) {
  const byFlag = new Map<string, Map<string, Placement>>();
  /** service|environment → the splits that route its traffic, by flag key. */
  let index = new Map<string, CohortSplit[]>();
  let stale: Set<string> | 'all' = 'all';

  ctx.bus.subscribe(({ event }) => {
    if (event.type !== 'resource') return;
    if (event.resource === 'segments' || (event.resource === 'flags' && !event.id)) stale = 'all';
    else if (event.resource === 'flags' && event.id && stale !== 'all') stale.add(event.id);
  });

  /** Placing every flag reads the flagd document of all flags; placing the few that changed, each one's own. */
  function place(flag: Flag, service: string, environment: Environment, alone = false): Placement {
    const total = ctx.simulation.users.length;
    const refuse = (refused: string, on = 0): Placement => ({
      split: null,
      refused,
      users: { on, total },
    });
    if (flag.services.length === 0)
      return refuse(
        `flag ${flag.key} lists no service: name the services that read it, so its cohort has hosts to be served on`,
      );
    if (!flag.services.includes(service))
      return refuse(
        `flag ${flag.key} is not read by ${service} (it is read by ${flag.services.join(', ')})`,
      );
    if (flag.environments[environment].state === 'off')
      return refuse(
        `flag ${flag.key} is off in ${environment}: no one is served its new code path`,
      );
    const input = { flagKey: flag.key, service, environment, users: ctx.simulation.users };
    const cohort = alone ? flags.cohortAlone(input) : flags.cohort(input);
    if ('refused' in cohort) return refuse(cohort.refused);
    const on = cohort.on.length;
    if (on === 0)
      return refuse(
        `flag ${flag.key} serves its new code path to no user of ${service} in ${environment}`,
      );
    const onShare = on / Math.max(1, total);
    const defect = defects.find((d) => d.flagKey === flag.key && d.service === service);
    const hostIds = reserveHosts(ctx.simulation.instancesOf(service, environment), onShare);
    return {
      split: { flagKey: flag.key, onShare, hostIds, ...(defect ? { defect } : {}) },
      refused: null,
      users: { on, total },
    };
  }

  function placeEverywhere(flag: Flag, alone = false): Map<string, Placement> {
    const placed = new Map<string, Placement>();
    for (const service of flag.services.filter((s) => ctx.simulation.hasService(s))) {
      for (const environment of ENVIRONMENTS)
        placed.set(key(service, environment), place(flag, service, environment, alone));
    }
    return placed;
  }

  function refresh(): void {
    if (stale === 'all') {
      byFlag.clear();
      for (const flag of flags.flags()) byFlag.set(flag.key, placeEverywhere(flag));
    } else if (stale.size > 0) {
      for (const flagKey of stale) {
        const flag = flags.flag(flagKey);
        if (flag) byFlag.set(flagKey, placeEverywhere(flag, true));
        else byFlag.delete(flagKey);
      }
    } else {
      return;
    }
    stale = new Set();
    index = new Map();
    for (const flagKey of [...byFlag.keys()].sort()) {
      for (const [where, placement] of byFlag.get(flagKey) ?? []) {
        if (placement.split) index.set(where, [...(index.get(where) ?? []), placement.split]);
      }
    }
  }

  return {
    /** Where a flag's cohort is served; null for a flag that does not exist. */
    placementOf(flagKey: string, service: string, environment: Environment): Placement | null {
      refresh();
      const flag = flags.flag(flagKey);
      if (!flag) return null;
      return (
        byFlag.get(flagKey)?.get(key(service, environment)) ?? place(flag, service, environment)
      );
    },
    /** The splits that route a service's traffic in an environment, by flag key. */
    splitsOf(service: string, environment: Environment): readonly CohortSplit[] {
      refresh();
      return index.get(key(service, environment)) ?? [];
    },
  };
}
export type FlagPlacements = ReturnType<typeof flagPlacements>;
