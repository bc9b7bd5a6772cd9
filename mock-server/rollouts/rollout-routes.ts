import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  pastStepTimes,
  ROLLOUT_CONTROLS,
  rolloutControlBodySchema,
  rolloutListSchema,
  rolloutSchema,
  rolloutSpecSchema,
  type RolloutSpec,
} from '../../src/domain';
import type { ServerContext } from '../context';
import { notFound, validationFailed } from '../errors';
import { answers, idParams } from '../route-schemas';
import type { RolloutRunner } from './rollout-runner';
import type { RolloutStore } from './rollout-store';

/**
 * Rollouts under /api/v1/rollouts: list, create, get, and one route per control. Pause and abort
 * stop a rollout, so they need only `rollout.stop` (every signed-in role has it); the rest
 * need `rollout.write`.
 */
export async function rolloutRoutes(
  app: FastifyInstance,
  ctx: ServerContext,
  store: RolloutStore,
  runner: RolloutRunner,
  checkSpec: (spec: RolloutSpec) => RolloutSpec,
): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/v1/rollouts',
    { config: { action: 'read' }, schema: { response: answers({ 200: rolloutListSchema }) } },
    async () => ({ rollouts: store.list() }),
  );

  api.get(
    '/api/v1/rollouts/:id',
    {
      config: { action: 'read' },
      schema: { params: idParams, response: answers({ 200: rolloutSchema }) },
    },
    async (request) => {
      const rollout = store.get(request.params.id);
      if (!rollout) throw notFound(`rollout ${request.params.id}`);
      return rollout;
    },
  );

  api.post(
    '/api/v1/rollouts',
    {
      config: { action: 'rollout.write' },
      schema: { body: rolloutSpecSchema, response: answers({ 201: rolloutSchema }) },
    },
    async (request, reply) => {
      const user = ctx.requireUser(request);
      // A time already past would promote its step as soon as the analysis passes.
      const past = pastStepTimes(request.body.steps, ctx.clock.now());
      if (past.length > 0) throw validationFailed(past);
      const spec = checkSpec(request.body);
      const active = runner
        .active()
        .find(
          (r) =>
            r.spec.kind === spec.kind &&
            r.spec.service === spec.service &&
            r.spec.environment === spec.environment,
        );
      if (active) {
        const what = spec.kind === 'canary' ? 'a canary' : 'a flag';
        throw validationFailed([
          {
            path: 'service',
            message: `${spec.service} already has ${what} rolling out in ${spec.environment} (${active.spec.name})`,
          },
        ]);
      }
      return reply.status(201).send(runner.create(spec, user));
    },
  );

  for (const control of ROLLOUT_CONTROLS) {
    const stopping = control === 'pause' || control === 'abort';
    api.post(
      `/api/v1/rollouts/:id/${control}`,
      {
        config: { action: stopping ? 'rollout.stop' : 'rollout.write' },
        schema: {
          params: idParams,
          body: rolloutControlBodySchema,
          response: answers({ 200: rolloutSchema }),
        },
      },
      async (request) =>
        runner.control(request.params.id, control, ctx.requireUser(request), request.body.reason),
    );
  }
}
