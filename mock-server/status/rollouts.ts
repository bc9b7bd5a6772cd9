import { ACTIVE_ROLLOUT_STATES, ENVIRONMENTS, type RolloutProgress } from '../../src/domain';
import type { Flag } from '../../src/domain/flags';
import type { CoreContext } from '../context';
import { flagStore } from '../flags/flag-store';
import { rolloutStore } from '../rollouts/rollout-store';

/**
 * How far a flag's percentage rollout has gone in each environment where it is on: the share
 * of rollout weight given to variants other than the off variant, in %. Only rollouts in
 * progress (above 0 and below 100 %) count. Keys and numbers only, never the rules.
 */
function flagRollouts(flags: readonly Flag[]): RolloutProgress[] {
  const progress: RolloutProgress[] = [];
  for (const flag of flags) {
    for (const environment of ENVIRONMENTS) {
      const targeting = flag.environments[environment];
      if (targeting.state !== 'on') continue;
      const rollout = targeting.rules.map((r) => r.serve).find((s) => s.kind === 'rollout');
      if (!rollout || rollout.kind !== 'rollout') continue;
      const total = rollout.split.reduce((sum, entry) => sum + entry.weight, 0);
      const onNew = rollout.split
        .filter((e) => e.variant !== flag.offVariant)
        .reduce((sum, entry) => sum + entry.weight, 0);
      const percent = total > 0 ? Math.round((onNew / total) * 1000) / 10 : 0;
      if (percent <= 0 || percent >= 100) continue;
      progress.push({
        kind: 'flag',
        key: flag.key,
        service: flag.services[0] ?? null,
        environment,
        percent,
      });
    }
  }
  return progress;
}

const tableExists = (ctx: CoreContext, name: string) =>
  ctx.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name);

/**
 * Canaries and guarded flag rollouts under way (progressing, paused or held): the new version
 * or the flag, and the weight.
 */
function rolloutsUnderWay(ctx: CoreContext): RolloutProgress[] {
  return rolloutStore(ctx.db)
    .inStates(ACTIVE_ROLLOUT_STATES)
    .map((r) => ({
      kind: r.spec.kind,
      key: r.spec.kind === 'canary' ? `${r.spec.service} ${r.spec.newVersion}` : r.spec.flagKey,
      service: r.spec.service,
      environment: r.spec.environment,
      percent: r.weight,
      waiting: r.state !== 'progressing',
    }));
}

/**
 * Flags and canaries being rolled out now; none of a module that has not set up its tables. A
 * flag a guarded rollout moves is listed once, as the rollout says.
 */
export function rolloutsInProgress(ctx: CoreContext): RolloutProgress[] {
  const underWay = tableExists(ctx, 'rollouts') ? rolloutsUnderWay(ctx) : [];
  const guarded = new Set(
    underWay.filter((r) => r.kind === 'flag').map((r) => `${r.key}|${r.environment}`),
  );
  const byHand = tableExists(ctx, 'flags')
    ? flagRollouts(flagStore(ctx.db).listFlags()).filter(
        (r) => !guarded.has(`${r.key}|${r.environment}`),
      )
    : [];
  return [...byHand, ...underWay];
}
