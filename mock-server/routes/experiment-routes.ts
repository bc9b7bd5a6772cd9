import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  createExperimentSchema,
  environmentSchema,
  experimentStateSchema,
  startExperimentSchema,
  updateExperimentSchema,
  type Experiment,
  type ExperimentSpec,
} from '../../src/domain';
import type { ServerContext } from '../context';
import { invalidState, notFound, validationFailed, versionConflict } from '../errors';
import { parseWith } from '../parse';

const listQuerySchema = z.object({
  environment: environmentSchema.optional(),
  state: experimentStateSchema.optional(),
  lineageId: z.string().min(1).optional(),
});
const deleteQuerySchema = z.object({
  version: z.coerce
    .number({ error: 'version must be a number' })
    .int('version must be a whole number'),
});
const haltBodySchema = z.object({}, { error: 'the body must be a JSON object ({})' });
const idParams = z.object({ id: z.string().min(1) });

export async function experimentRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  const { experiments: store } = ctx;

  /** The domain checks the shape; only the server knows which services exist. */
  function checkService(spec: ExperimentSpec, prefix: string[] = []): void {
    if (!ctx.simulation.hasService(spec.service)) {
      throw validationFailed([
        {
          path: [...prefix, 'service'].join('.'),
          message: `there is no service called "${spec.service}"`,
        },
      ]);
    }
  }

  function existing(id: string): Experiment {
    const experiment = store.get(id);
    if (!experiment) throw notFound(`experiment ${id}`);
    return experiment;
  }

  /** A draft at the version the client saw, or the error saying why not. */
  function editableDraft(id: string, version: number): Experiment {
    const experiment = existing(id);
    if (experiment.version !== version) throw versionConflict(experiment);
    if (experiment.state !== 'draft')
      throw invalidState(
        `only a draft can be changed; this experiment is ${experiment.state}`,
        experiment,
      );
    return experiment;
  }

  app.get('/api/v1/experiments', async (request) => {
    ctx.requireAction(request, 'read');
    return { experiments: store.list(parseWith(listQuerySchema, request.query)) };
  });

  app.get('/api/v1/experiments/:id', async (request) => {
    ctx.requireAction(request, 'read');
    return existing(parseWith(idParams, request.params).id);
  });

  app.post('/api/v1/experiments', async (request, reply) => {
    const user = ctx.requireAction(request, 'experiment.write');
    const { lineageId, ...spec } = parseWith(createExperimentSchema, request.body);
    checkService(spec);
    if (lineageId !== undefined && store.list({ lineageId }).length === 0) {
      throw validationFailed([
        { path: 'lineageId', message: `there is no experiment lineage "${lineageId}"` },
      ]);
    }
    const id = randomUUID();
    const now = ctx.clock.now();
    const created = ctx.mutate(user, 'experiment.create', { type: 'experiment', id }, (scope) => {
      const experiment: Experiment = {
        ...spec,
        id,
        lineageId: lineageId ?? id,
        state: 'draft',
        version: 1,
        createdAt: now,
        updatedAt: now,
        createdBy: user.name,
        run: null,
      };
      store.insert(experiment);
      scope.publish({ type: 'experiment', change: 'created', experiment, by: user.name });
      return { before: null, after: experiment, result: experiment };
    });
    return reply.status(201).send(created);
  });

  app.put('/api/v1/experiments/:id', async (request) => {
    const user = ctx.requireAction(request, 'experiment.write');
    const { id } = parseWith(idParams, request.params);
    const { version, spec } = parseWith(updateExperimentSchema, request.body);
    checkService(spec, ['spec']);
    const before = editableDraft(id, version);
    return ctx.mutate(user, 'experiment.update', { type: 'experiment', id }, (scope) => {
      const after: Experiment = {
        ...before,
        ...spec,
        version: before.version + 1,
        updatedAt: ctx.clock.now(),
      };
      store.save(after);
      scope.publish({ type: 'experiment', change: 'updated', experiment: after, by: user.name });
      return { before, after, result: after };
    });
  });

  app.delete('/api/v1/experiments/:id', async (request, reply) => {
    const user = ctx.requireAction(request, 'experiment.write');
    const { id } = parseWith(idParams, request.params);
    const { version } = parseWith(deleteQuerySchema, request.query);
    const before = editableDraft(id, version);
    ctx.mutate(user, 'experiment.delete', { type: 'experiment', id }, (scope) => {
      store.delete(id);
      scope.publish({ type: 'experiment', change: 'deleted', experiment: before, by: user.name });
      return { before, after: null, result: null };
    });
    return reply.status(204).send();
  });

  app.post('/api/v1/experiments/:id/start', async (request) => {
    const user = ctx.requireAction(request, 'experiment.start');
    const { id } = parseWith(idParams, request.params);
    return ctx.engine.start(id, parseWith(startExperimentSchema, request.body), user);
  });

  app.post('/api/v1/experiments/:id/halt', async (request) => {
    const user = ctx.requireAction(request, 'experiment.halt');
    const { id } = parseWith(idParams, request.params);
    parseWith(haltBodySchema, request.body);
    return ctx.engine.halt(id, user);
  });
}
