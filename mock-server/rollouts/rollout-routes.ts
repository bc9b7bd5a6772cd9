import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
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

export async function rolloutRoutes(
  app: FastifyInstance,
  ctx: ServerContext,
  store: RolloutStore,
  runner: RolloutRunner,
  checkSpec: (spec: RolloutSpec) => void,
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
      const spec = request.body;
      checkSpec(spec);
      const active = runner
        .active()
        .find((r) => r.spec.service === spec.service && r.spec.environment === spec.environment);
      if (active && spec.kind === 'canary' && active.spec.kind === 'canary') {
        throw validationFailed([
          {
            path: 'service',
            message: `${spec.service} already has a canary rolling out in ${spec.environment} (${active.spec.name})`,
          },
        ]);
      }
      reply.code(201);
      return runner.create(spec, user);
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
