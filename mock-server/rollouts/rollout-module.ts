import type { FastifyInstance } from 'fastify';
import type { RolloutSpec } from '../../src/domain';
import type { ServerContext } from '../context';
import { validationFailed } from '../errors';
import { migrate } from '../store/database';
import { linkAbortSignal } from './abort-signal';
import { rolloutRoutes } from './rollout-routes';
import { rolloutRunner, type RolloutRunner } from './rollout-runner';
import { ROLLOUT_MIGRATIONS, rolloutStore } from './rollout-store';

export interface RolloutModule {
  runner: RolloutRunner;
}

/**
 * Canary rollouts: persisted in SQLite, advanced on the engine's tick, their canary's share of
 * traffic served by the canary hosts (a backend that routes traffic itself is told the weights).
 */
export async function rolloutModule(
  app: FastifyInstance,
  ctx: ServerContext,
): Promise<RolloutModule> {
  migrate(ctx.db, ROLLOUT_MIGRATIONS);
  const store = rolloutStore(ctx.db);
  const runner = rolloutRunner(ctx, store);
  runner.recover();

  const canaryHosts = (service: string, environment: RolloutSpec['environment']) =>
    new Set(
      ctx.backend.inventory
        .canaryOf(service, environment)
        .filter((i) => i.kind === 'host')
        .map((i) => i.id),
    );

  ctx.backend.traffic?.routeCanaries((service, environment) => {
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
  });

  ctx.engine.onTick((report) => runner.tick(report.t, report.samples));
  linkAbortSignal(ctx, runner);

  function checkSpec(spec: RolloutSpec): void {
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
  }

  await rolloutRoutes(app, ctx, store, runner, checkSpec);
  return { runner };
}
