import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Environment } from '../../src/domain';
import {
  flagCohortInstancesSchema,
  flagCohortQuerySchema,
  type FlagCohortInstances,
} from '../../src/domain/flags';
import type { ServerContext } from '../context';
import { notFound, validationFailed } from '../errors';
import { answers, keyParams } from '../route-schemas';
import type { FlagModule } from './flag-module';
import type { CohortSplit } from '../backends/seams';
import { flagPlacements, type Placement } from './flag-placement';

/**
 * Weaves flags into the fleet and the engine: each flag's on-cohort is served by hosts
 * reserved for it (a backend that routes traffic itself is told so), an
 * experiment may inherit those hosts as its blast radius, and halt all may turn the flags off.
 */
export async function progressiveDelivery(
  app: FastifyInstance,
  ctx: ServerContext,
  flags: FlagModule,
  /** The defect a guarded rollout says a flag's new code path carries, if any (simulation only). */
  rolloutDefect: (
    flagKey: string,
    service: string,
    environment: Environment,
  ) => CohortSplit['rolloutDefect'] | null = () => null,
): Promise<void> {
  const placements = flagPlacements(ctx, flags);

  ctx.backend.traffic?.routeCohorts((service, environment) => {
    const split = cohortRoute(service, environment);
    if (!split) return null;
    const defect = rolloutDefect(split.flagKey, service, environment);
    const offVariant = flags.flag(split.flagKey)?.offVariant;
    return {
      ...split,
      ...(offVariant ? { offVariant } : {}),
      ...(defect ? { rolloutDefect: defect } : {}),
    };
  });

  function cohortRoute(service: string, environment: Environment): CohortSplit | null {
    const splits = placements.splitsOf(service, environment);
    if (splits.length <= 1) return splits[0] ?? null;
    // Several flags route this traffic: the one a running experiment inherits from wins (the earliest started).
    const inheriting = ctx.engine
      .running()
      .filter((e) => e.service === service && e.environment === environment)
      .sort((a, b) => (a.run?.startedAt ?? 0) - (b.run?.startedAt ?? 0));
    for (const experiment of inheriting) {
      const source = experiment.blastRadius.source;
      const split =
        source.kind === 'flag' ? splits.find((s) => s.flagKey === source.flagKey) : undefined;
      if (split) return split;
    }
    return splits[0] ?? null;
  }

  ctx.extensions.blastRadiusSources.set('flag', ({ source, service, environment }) => {
    if (source.kind !== 'flag') return { refused: 'not a flag-inherited blast radius' };
    const placement = placements.placementOf(source.flagKey, service, environment);
    if (!placement) return { refused: `flag ${source.flagKey} does not exist` };
    if (!placement.split) return { refused: placement.refused };
    const hostIds = placement.split.hostIds;
    return { eligible: (instance) => hostIds.has(instance.hostId) };
  });

  ctx.extensions.haltAllHooks.push(({ actor, halted, killFlags }, scope) => {
    if (!killFlags) return [];
    const killed = new Set<string>();
    for (const experiment of halted) {
      const source = experiment.blastRadius.source;
      if (source.kind !== 'flag') continue;
      const flag = flags.flag(source.flagKey);
      if (!flag || flag.environments[experiment.environment].state === 'off') continue;
      flags.kill(actor, source.flagKey, experiment.environment, scope);
      killed.add(source.flagKey);
    }
    return [...killed];
  });

  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/flags/:key/cohort',
    {
      config: { action: 'read' },
      schema: {
        params: keyParams,
        querystring: flagCohortQuerySchema,
        response: answers({ 200: flagCohortInstancesSchema }),
      },
    },
    async (request) => {
      const { key } = request.params;
      const { service, environment } = request.query;
      if (!ctx.backend.inventory.hasService(service))
        throw validationFailed([
          { path: 'service', message: `there is no service called "${service}"` },
        ]);
      const placement = placements.placementOf(key, service, environment);
      if (!placement) throw notFound(`flag "${key}"`);
      return describe(ctx, key, service, environment, placement);
    },
  );
}

function describe(
  ctx: ServerContext,
  flagKey: string,
  service: string,
  environment: Environment,
  placement: Placement,
): FlagCohortInstances {
  const hostIds = placement.split?.hostIds ?? new Set<string>();
  return {
    flagKey,
    service,
    environment,
    refused: placement.refused,
    onShare: Math.round((placement.split?.onShare ?? 0) * 1e4) / 1e4,
    users: placement.users,
    hostIds: [...hostIds].sort(),
    instanceIds: ctx.backend.inventory
      .instancesOf(service, environment)
      .filter((i) => hostIds.has(i.hostId))
      .map((i) => i.id),
  };
}
