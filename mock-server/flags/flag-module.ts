import type { FastifyInstance } from 'fastify';
import type { Environment } from '../../src/domain';
import { newCheckoutFlag, SAMPLE_SEGMENTS, type Flag } from '../../src/domain/flags';
import { SYSTEM_ACTOR, type Actor, type CoreContext, type MutationScope } from '../context';
import { migrate } from '../store/database';
import { flagCohort, type CohortUser, type FlagCohort } from './cohort';
import { createEvaluator } from './evaluator';
import { flagRoutes } from './flag-routes';
import { flagService } from './flag-service';
import { FLAG_MIGRATIONS, flagStore } from './flag-store';
import { importService } from './import-service';
import { failureLimiter } from '../rate-limits';
import type { FlagServiceChaos } from './flag-service-chaos';
import { ofrepEvents } from './ofrep-events';
import { ofrepKeys } from './ofrep-keys';
import { ofrepRoutes } from './ofrep-routes';
import { segmentRoutes } from './segment-routes';
import { segmentService } from './segment-service';

const SAMPLE_FLAGS_MARKER = '910-flag-samples';

type CohortInput = {
  flagKey: string;
  service: string;
  environment: Environment;
  users: readonly CohortUser[];
};

/** What the rest of the server may ask of feature flags. */
export interface FlagModule {
  /** Which users are in a flag's on-cohort for a service in an environment (evaluated with flagd-core, as OFREP would). */
  cohort(input: CohortInput): FlagCohort;
  /**
   * The same over a flagd document of that flag alone: right after one flag changed, this does not
   * wait for the document of every flag to be rebuilt.
   */
  cohortAlone(input: CohortInput): FlagCohort;
  /** Every flag, by key. */
  flags(): Flag[];
  /** The keys of every stored flag, in order, without reading the flags. */
  flagKeys(): string[];
  /** One flag, or null. */
  flag(key: string): Flag | null;
  /**
   * The kill switch, for halt-all: returns the flag after the change. Inside another change's
   * `scope`, its audit row and stream event join that transaction.
   */
  kill(
    actor: Actor,
    flagKey: string,
    environment: Environment,
    scope?: MutationScope,
  ): { key: string; version: number };
  /**
   * A guarded rollout's step: serves `variant` to `weight` % of the users reaching the flag's last
   * rule for everyone in `environment` (the flag on there), inside the rollout's `scope`.
   */
  rollTo(
    actor: Actor,
    flagKey: string,
    environment: Environment,
    variant: string,
    weight: number,
    scope: MutationScope,
  ): Flag;
}

/**
 * Feature flags: tables, flag and segment REST routes, the OFREP endpoints, and the sample
 * "new-checkout" flag with its segments (once per database).
 */
export async function flagModule(
  app: FastifyInstance,
  ctx: CoreContext,
  chaos?: FlagServiceChaos,
): Promise<FlagModule> {
  migrate(ctx.db, FLAG_MIGRATIONS);
  const store = flagStore(ctx.db);
  const evaluator = createEvaluator(() => ({
    flags: store.listFlags(),
    segments: store.listSegments(),
    flagSetMetadata: (environment) => store.flagSetMetadata(environment),
  }));
  const flags = flagService(ctx, store, evaluator);
  const segments = segmentService(ctx, store, evaluator, flags);
  const imports = importService(ctx, store, evaluator, flags, segments);
  const keys = ofrepKeys(store, ctx);

  if (!ctx.db.prepare('SELECT 1 FROM migrations WHERE id = ?').get(SAMPLE_FLAGS_MARKER)) {
    ctx.db.transaction(() => {
      for (const segment of SAMPLE_SEGMENTS)
        if (!store.getSegment(segment.key)) segments.create(SYSTEM_ACTOR, segment);
      if (!store.getFlag('new-checkout')) flags.create(SYSTEM_ACTOR, newCheckoutFlag());
      migrate(ctx.db, [{ id: SAMPLE_FLAGS_MARKER, sql: 'SELECT 1' }]);
    })();
  }

  await flagRoutes(app, ctx, { flags, store, imports, keys });
  await segmentRoutes(app, ctx, segments);
  await ofrepRoutes(
    app,
    evaluator,
    keys,
    failureLimiter(app, 'requests with a wrong OFREP key', ctx.config.rateLimits.ofrepKeyFailures),
    ofrepEvents(ctx.bus, ctx.clock),
    chaos,
  );

  return {
    cohort: (input) => flagCohort(store, evaluator, input),
    cohortAlone: (input) => {
      const flag = store.getFlag(input.flagKey);
      const alone = createEvaluator(() => ({
        flags: flag ? [flag] : [],
        segments: store.listSegments(),
      }));
      return flagCohort(store, alone, input);
    },
    flags: () => store.listFlags(),
    flagKeys: () => store.listFlagKeys(),
    flag: (key) => store.getFlag(key),
    kill: (actor, flagKey, environment, scope) => flags.kill(actor, flagKey, environment, scope),
    rollTo: (actor, flagKey, environment, variant, weight, scope) =>
      flags.rollTo(actor, flagKey, environment, variant, weight, scope),
  };
}
