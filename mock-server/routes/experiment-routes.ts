import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createExperimentSchema,
  environmentSchema,
  experimentListSchema,
  experimentSchema,
  experimentStateSchema,
  apiErrorSchema,
  startExperimentSchema,
  steadyStateAnswerSchema,
  updateExperimentSchema,
  windowsLongerThanRun,
  type Experiment,
  type ExperimentSpec,
} from '../../src/domain';
import type { ServerContext } from '../context';
import { invalidState, notFound, validationFailed, versionConflict } from '../errors';
import { answers, idParams, noContent, versionQuery } from '../route-schemas';

const listQuerySchema = z.object({
  environment: environmentSchema.optional(),
  state: experimentStateSchema.optional(),
  lineageId: z.string().min(1).optional(),
});
const haltBodySchema = z.object({}, { error: 'the body must be a JSON object ({})' });

export async function experimentRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  const { experiments: store } = ctx;

  /** The domain checks the shape; only the server knows which services exist. */
  function checkService(spec: ExperimentSpec, prefix: string[] = []): void {
    if (!ctx.backend.inventory.hasService(spec.service)) {
      throw validationFailed([
        {
          path: [...prefix, 'service'].join('.'),
          message: `there is no service called "${spec.service}"`,
        },
      ]);
    }
  }

  /**
   * A condition whose window outlasts the run can never trip: refused here as the designer
   * refuses it, with the same words on the same field. Not part of the spec schema, so an
   * experiment stored before this rule still reads.
   */
  function checkWindows(spec: ExperimentSpec, prefix: string[] = []): void {
    const issues = windowsLongerThanRun(spec);
    if (issues.length > 0) {
      throw validationFailed(
        issues.map((issue) => ({ ...issue, path: [...prefix, issue.path].join('.') })),
      );
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

  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/v1/experiments',
    {
      config: { action: 'read' },
      schema: { querystring: listQuerySchema, response: answers({ 200: experimentListSchema }) },
    },
    async (request) => ({ experiments: store.list(request.query) }),
  );

  api.get(
    '/api/v1/experiments/:id',
    {
      config: { action: 'read' },
      schema: { params: idParams, response: answers({ 200: experimentSchema }) },
    },
    async (request) => existing(request.params.id),
  );

  api.get(
    '/api/v1/experiments/:id/steady-state',
    {
      config: { action: 'read' },
      schema: {
        description:
          'Whether none of the experiment’s abort conditions holds now on the whole service: 200 ' +
          'when the steady state holds, 503 `steady_state_broken` (naming the condition) or ' +
          '`metrics_unavailable` when it does not or cannot be read. Made for HTTP status checks ' +
          'such as the Chaos Mesh Workflow StatusCheck Faultline exports.',
        params: idParams,
        response: answers({ 200: steadyStateAnswerSchema, 503: apiErrorSchema }),
      },
    },
    async (request) => ctx.engine.steadyState(request.params.id),
  );

  api.post(
    '/api/v1/experiments',
    {
      config: { action: 'experiment.write' },
      schema: { body: createExperimentSchema, response: answers({ 201: experimentSchema }) },
    },
    async (request, reply) => {
      const user = ctx.requireUser(request);
      const { lineageId, ...spec } = request.body;
      checkService(spec);
      checkWindows(spec);
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
    },
  );

  api.put(
    '/api/v1/experiments/:id',
    {
      config: { action: 'experiment.write' },
      schema: {
        params: idParams,
        body: updateExperimentSchema,
        response: answers({ 200: experimentSchema }),
      },
    },
    async (request) => {
      const user = ctx.requireUser(request);
      const { id } = request.params;
      const { version, spec } = request.body;
      checkService(spec, ['spec']);
      checkWindows(spec, ['spec']);
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
    },
  );

  api.delete(
    '/api/v1/experiments/:id',
    {
      config: { action: 'experiment.write' },
      schema: {
        params: idParams,
        querystring: versionQuery,
        response: answers({ 204: noContent }),
      },
    },
    async (request, reply) => {
      const user = ctx.requireUser(request);
      const { id } = request.params;
      const before = editableDraft(id, request.query.version);
      ctx.mutate(user, 'experiment.delete', { type: 'experiment', id }, (scope) => {
        store.delete(id);
        scope.publish({ type: 'experiment', change: 'deleted', experiment: before, by: user.name });
        return { before, after: null, result: null };
      });
      return reply.status(204).send();
    },
  );

  api.post(
    '/api/v1/experiments/:id/start',
    {
      config: { action: 'experiment.start' },
      schema: {
        params: idParams,
        body: startExperimentSchema,
        response: answers({ 200: experimentSchema }),
      },
    },
    async (request) =>
      await ctx.engine.start(request.params.id, request.body, ctx.requireUser(request)),
  );

  api.post(
    '/api/v1/experiments/:id/halt',
    {
      config: { action: 'experiment.halt' },
      schema: {
        params: idParams,
        body: haltBodySchema,
        response: answers({ 200: experimentSchema }),
      },
    },
    async (request) => ctx.engine.halt(request.params.id, ctx.requireUser(request)),
  );
}
