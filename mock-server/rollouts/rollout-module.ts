import type { FastifyInstance } from 'fastify';
import type { CanaryDefect, Environment, RolloutSpec } from '../../src/domain';
import type { CanaryRouter } from '../backends/seams';
import type { ServerContext } from '../context';
import { validationFailed } from '../errors';
import type { FlagModule } from '../flags/flag-module';
import { migrate } from '../store/database';
import { linkAbortSignal } from './abort-signal';
import { flagDriver, flagRolloutProblem } from './flag-driver';
import { rolloutRoutes } from './rollout-routes';
import { rolloutRunner, type RolloutRunner } from './rollout-runner';
import { ROLLOUT_MIGRATIONS, rolloutStore } from './rollout-store';

/** A canary's share of its service's requests in one environment (0–1), as it is routed now. */
export interface CanaryWeight {
  service: string;
  environment: Environment;
  weight: number;
}

interface RolloutModule {
  runner: RolloutRunner;
  /**
   * Every service and environment whose canary receives traffic now, with its share: present
   * while a canary rollout routes (progressing, paused or held, weight above 0); gone once it
   * has rolled back, aborted or been promoted (the canary's build is then the new stable).
   */
  canaryWeights(): CanaryWeight[];
  /** The defect a guarded flag rollout says its flag's new code path carries (simulation only). */
  flagDefect(flagKey: string, service: string, environment: Environment): CanaryDefect | null;
}

/**
 * Canary rollouts and guarded flag rollouts: persisted in SQLite, advanced on the engine's tick.
 * A canary's share of traffic is served by the canary hosts (a backend that routes traffic
 * itself is told the weights); a flag rollout sets its flag's percentage rollout, and the flag's
 * cohorts route the traffic.
 */
export async function rolloutModule(
  app: FastifyInstance,
  ctx: ServerContext,
  flags: FlagModule,
): Promise<RolloutModule> {
  migrate(ctx.db, ROLLOUT_MIGRATIONS);
  const store = rolloutStore(ctx.db);
  const countsRequests = (environment: Environment) =>
    Boolean(ctx.backend.metrics.cohortRequests?.(environment));
  const runner = rolloutRunner(
    ctx,
    store,
    flagDriver(flags, () => ctx.backend.inventory.users(), countsRequests),
    (spec, since, until) => {
      const count = ctx.backend.metrics.cohortRequests?.(spec.environment);
      const offVariant = flags.flag(spec.flagKey)?.offVariant;
      if (!count || offVariant === undefined) return null;
      return count({ service: spec.service, flagKey: spec.flagKey, offVariant, since, until });
    },
  );
  runner.recover();

  const canaryHosts = (service: string, environment: RolloutSpec['environment']) =>
    new Set(
      ctx.backend.inventory
        .canaryOf(service, environment)
        .filter((i) => i.kind === 'host')
        .map((i) => i.id),
    );

  // The one answer to "how much of this service goes to its canary now": the simulation routes
  // by it, a real backend reads the canary side by it, and /metrics exports its weight.
  const canaryRoute: CanaryRouter = (service, environment) => {
    const rollout = runner
      .active()
      .find(
        (r) =>
          r.spec.kind === 'canary' &&
          r.spec.service === service &&
          r.spec.environment === environment &&
          r.weight > 0,
      );
    if (!rollout || rollout.spec.kind !== 'canary') return null;
    const defect = rollout.spec.defect;
    return {
      weight: rollout.weight / 100,
      hostIds: canaryHosts(service, environment),
      ...(defect ? { defect } : {}),
    };
  };
  ctx.backend.traffic?.routeCanaries(canaryRoute);

  ctx.engine.onTick((report) => runner.tick(report.t, report.samples));
  linkAbortSignal(ctx, runner);

  /** Refuses a spec the fleet or the flags cannot carry; fills in a flag rollout's variant. */
  function checkSpec(spec: RolloutSpec): RolloutSpec {
    if (!ctx.backend.inventory.hasService(spec.service)) {
      throw validationFailed([
        { path: 'service', message: `there is no service called "${spec.service}"` },
      ]);
    }
    if (spec.kind === 'canary' && canaryHosts(spec.service, spec.environment).size === 0) {
      throw validationFailed([
        {
          path: 'environment',
          message: `${spec.service} has no canary host in ${spec.environment} (canaries run in staging and production)`,
        },
      ]);
    }
    if (spec.kind === 'canary') return spec;
    const problem = flagRolloutProblem(flags, spec);
    if (problem) {
      const path = problem.includes('variant')
        ? 'variant'
        : problem.includes('does not exist')
          ? 'flagKey'
          : 'service';
      throw validationFailed([{ path, message: problem }]);
    }
    const flag = flags.flag(spec.flagKey)!;
    const variant =
      spec.variant ?? Object.keys(flag.variants).find((name) => name !== flag.offVariant);
    if (!variant || variant === flag.offVariant) {
      throw validationFailed([
        {
          path: 'variant',
          message: `roll out a variant other than the off variant "${flag.offVariant}"`,
        },
      ]);
    }
    return { ...spec, variant };
  }

  await rolloutRoutes(app, ctx, store, runner, checkSpec);
  return {
    runner,
    canaryWeights() {
      const routed = new Map<string, CanaryWeight>();
      for (const r of runner.active()) {
        if (r.spec.kind !== 'canary') continue;
        const { service, environment } = r.spec;
        const key = JSON.stringify([service, environment]);
        if (routed.has(key)) continue;
        const route = canaryRoute(service, environment);
        if (route) routed.set(key, { service, environment, weight: route.weight });
      }
      return [...routed.values()];
    },
    flagDefect(flagKey, service, environment) {
      const rollout = runner
        .active()
        .find(
          (r) =>
            r.spec.kind === 'flag' &&
            r.spec.flagKey === flagKey &&
            r.spec.service === service &&
            r.spec.environment === environment,
        );
      return rollout?.spec.kind === 'flag' ? (rollout.spec.defect ?? null) : null;
    },
  };
}
