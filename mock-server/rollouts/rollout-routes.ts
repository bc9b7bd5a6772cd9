import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  ROLLOUT_CONTROLS,
  rolloutControlBodySchema,
  rolloutSpecSchema,
  type Rollout,
  type RolloutSpec,
} from '../../src/domain';
import type { ServerContext } from '../context';
import { notFound, validationFailed } from '../errors';
import { parseWith } from '../parse';
import type { RolloutRunner } from './rollout-runner';
import type { RolloutStore } from './rollout-store';

const idParams = z.object({ id: z.string().min(1) });

export async function rolloutRoutes(
  app: FastifyInstance,
  ctx: ServerContext,
  store: RolloutStore,
  runner: RolloutRunner,
  checkSpec: (spec: RolloutSpec) => void,
): Promise<void> {
  app.get('/api/v1/rollouts', async (request): Promise<{ rollouts: Rollout[] }> => {
    ctx.requireAction(request, 'read');
    return { rollouts: store.list() };
  });

  app.get('/api/v1/rollouts/:id', async (request): Promise<Rollout> => {
    ctx.requireAction(request, 'read');
    const { id } = parseWith(idParams, request.params);
    const rollout = store.get(id);
    if (!rollout) throw notFound(`rollout ${id}`);
    return rollout;
  });

  app.post('/api/v1/rollouts', async (request, reply) => {
    const user = ctx.requireAction(request, 'rollout.write');
    const spec = parseWith(rolloutSpecSchema, request.body);
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
  });

  for (const control of ROLLOUT_CONTROLS) {
    const stopping = control === 'pause' || control === 'abort';
    app.post(`/api/v1/rollouts/:id/${control}`, async (request): Promise<Rollout> => {
      const user = ctx.requireAction(request, stopping ? 'rollout.stop' : 'rollout.write');
      const { id } = parseWith(idParams, request.params);
      const { reason } = parseWith(rolloutControlBodySchema, request.body);
      return runner.control(id, control, user, reason);
    });
  }
}
