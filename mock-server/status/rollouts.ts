import { ENVIRONMENTS, type RolloutProgress } from '../../src/domain';
import type { Flag } from '../../src/domain/flags';
import type { CoreContext } from '../context';
import { flagStore } from '../flags/flag-store';

/**
 * How far a flag's percentage rollout has gone in each environment where it is on: the share
 * of rollout weight given to variants other than the off variant, in %. Only rollouts in
 * progress (above 0 and below 100 %) count. Keys and numbers only, never the rules.
 */
export function flagRollouts(flags: readonly Flag[]): RolloutProgress[] {
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

/** Flags being rolled out now; none when the flags module has not set up its tables. */
export function rolloutsInProgress(ctx: CoreContext): RolloutProgress[] {
  const hasFlags = ctx.db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'flags'")
    .get();
  return hasFlags ? flagRollouts(flagStore(ctx.db).listFlags()) : [];
}
