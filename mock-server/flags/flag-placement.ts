import { performance } from 'node:perf_hooks';
import { ENVIRONMENTS, type Environment } from '../../src/domain';
import type { Flag } from '../../src/domain/flags';
import type { ServerContext } from '../context';
import type { CohortSplit } from '../backends/seams';
import type { FlagModule } from './flag-module';

/** Where one flag's on-cohort is served for one service in one environment, or why it is not. */
export type Placement =
  | { split: CohortSplit; refused: null; users: { on: number; total: number } }
  | { split: null; refused: string; users: { on: number; total: number } };

const key = (service: string, environment: Environment) => `${service}|${environment}`;

/** Work a tick does itself rather than leave for later turns: placements (a few flags' worth). */
const SYNC_PLACEMENTS = 16;
/** Time given to placing flags again per turn of the event loop, in ms. */
const SLICE_MS = 4;

/**
 * Flag cohorts placed on the fleet: for every service a flag lists, in every environment, the
 * hosts reserved for its on-cohort. Computed from the flags and the inventory's users only when
 * a flag or a segment changes (the stream tells), so a tick only looks them up. A change that
 * places many flags again (a segment edit) is spread over turns of the event loop.
 */
export function flagPlacements(ctx: ServerContext, flags: FlagModule) {
  const inventory = ctx.backend.inventory;
  const byFlag = new Map<string, Map<string, Placement>>();
  /** service|environment → the splits that route its traffic, by flag key. */
  let index = new Map<string, CohortSplit[]>();
  let indexStale = false;
  /** Flags to place again, in order. */
  const queue = new Set<string>();
  /** The flag being placed again, one (service, environment) per step: it replaces the old one when done. */
  let job: {
    flag: Flag;
    left: [string, Environment][];
    placed: Map<string, Placement>;
  } | null = null;
  let scheduled = false;

  /**
   * `workLeft()`'s answer until the queue or the job changes: every tick asks it once per service
   * and environment, and counting reads flags.
   */
  let workLeftKnown: number | null = null;

  /**
   * Keys only, read in the publishing request: parsing every flag here (200 flags: ~20 ms) would
   * hold the loop in one piece; each flag is read in its own step.
   */
  const enqueueAll = () => {
    for (const flagKey of flags.flagKeys()) queue.add(flagKey);
    // Flags that are gone lose their placements on their turn.
    for (const flagKey of byFlag.keys()) queue.add(flagKey);
    if (job) queue.add(job.flag.key);
    job = null;
    workLeftKnown = null;
    schedule();
  };

  ctx.bus.subscribe(({ event }) => {
    if (event.type !== 'resource') return;
    if (event.resource === 'segments' || (event.resource === 'flags' && !event.id)) enqueueAll();
    else if (event.resource === 'flags' && event.id) {
      queue.add(event.id);
      if (job?.flag.key === event.id) job = null;
      workLeftKnown = null;
      schedule();
    }
  });

  /**
   * A flag's cohort is evaluated over a flagd document of that flag alone (and the segments): a
   * small document per step, where the document of every flag (200 flags: 40–130 ms to build on
   * a busy machine, rebuilt after every flag or segment write) would hold the event loop in one
   * piece however finely the steps are sliced.
   */
  function place(flag: Flag, service: string, environment: Environment): Placement {
    const users = inventory.users();
    const total = users.length;
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
    const input = { flagKey: flag.key, service, environment, users };
    const cohort = flags.cohortAlone(input);
    if ('refused' in cohort) return refuse(cohort.refused);
    const on = cohort.on.length;
    if (on === 0)
      return refuse(
        `flag ${flag.key} serves its new code path to no user of ${service} in ${environment}`,
      );
    const onShare = on / Math.max(1, total);
    const hostIds = inventory.cohortHosts(service, environment, onShare);
    return {
      split: { flagKey: flag.key, onShare, hostIds },
      refused: null,
      users: { on, total },
    };
  }

  /** One step of the work: a flag's placement in one (service, environment), or a flag dropped. */
  function step(): void {
    workLeftKnown = null;
    if (!job) {
      const next = queue.values().next();
      if (next.done) return;
      const flagKey = next.value;
      queue.delete(flagKey);
      const flag = flags.flag(flagKey);
      if (!flag) {
        byFlag.delete(flagKey);
        indexStale = true;
        return;
      }
      const left: [string, Environment][] = [];
      for (const service of flag.services.filter((s) => inventory.hasService(s)))
        for (const environment of ENVIRONMENTS) left.push([service, environment]);
      job = { flag, left, placed: new Map() };
    }
    const where = job.left.shift();
    if (where) {
      const [service, environment] = where;
      job.placed.set(key(service, environment), place(job.flag, service, environment));
    }
    if (job.left.length === 0) {
      byFlag.set(job.flag.key, job.placed);
      job = null;
      indexStale = true;
    }
  }

  /** Placements still to compute (a flag being dropped counts one). */
  function workLeft(): number {
    if (workLeftKnown !== null) return workLeftKnown;
    let count = job?.left.length ?? 0;
    for (const flagKey of queue) {
      // A flag placed before is counted by its last placement (no read); a new one is read.
      const placed = byFlag.get(flagKey)?.size;
      const flag = placed === undefined ? flags.flag(flagKey) : null;
      count += placed ?? (flag ? Math.max(1, flag.services.length * ENVIRONMENTS.length) : 1);
      if (count > SYNC_PLACEMENTS) break;
    }
    workLeftKnown = count;
    return count;
  }

  /**
   * A few placements per turn of the event loop, about `SLICE_MS` each turn: a segment edit that
   * places 200 flags again never holds the loop long enough to delay a halt-all. Until a flag is
   * placed again, the fleet routes its traffic as before.
   */
  function turn(): void {
    scheduled = false;
    if (!ctx.db.open) return; // the server closed
    const started = performance.now();
    do step();
    while ((job || queue.size > 0) && performance.now() - started < SLICE_MS);
    if (job || queue.size > 0) schedule();
  }

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    setImmediate(turn);
  }

  /** Little work left (a flag or two changed): done now, so the next tick already routes by it. */
  function refresh(): void {
    if ((job || queue.size > 0) && workLeft() <= SYNC_PLACEMENTS) {
      while (job || queue.size > 0) step();
    }
    if (!indexStale) return;
    indexStale = false;
    const built = new Map<string, CohortSplit[]>();
    for (const flagKey of [...byFlag.keys()].sort()) {
      for (const [where, placement] of byFlag.get(flagKey) ?? []) {
        if (!placement.split) continue;
        const splits = built.get(where);
        if (splits) splits.push(placement.split);
        else built.set(where, [placement.split]);
      }
    }
    index = built;
  }

  enqueueAll();

  return {
    /** Where a flag's cohort is served; null for a flag that does not exist. */
    placementOf(flagKey: string, service: string, environment: Environment): Placement | null {
      refresh();
      const flag = flags.flag(flagKey);
      if (!flag) return null;
      // A flag waiting to be placed again is placed here for this one answer.
      const pending = queue.has(flagKey) || job?.flag.key === flagKey;
      return (
        (pending ? null : byFlag.get(flagKey)?.get(key(service, environment))) ??
        place(flag, service, environment)
      );
    },
    /** The splits that route a service's traffic in an environment, by flag key. */
    splitsOf(service: string, environment: Environment): readonly CohortSplit[] {
      refresh();
      return index.get(key(service, environment)) ?? [];
    },
  };
}
