import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import {
  addNoteSchema,
  applyRunbookEdit,
  createGamedaySchema,
  gamedayListSchema,
  gamedaySchema,
  keepOutcomesFor,
  tickRunbookStepSchema,
  tickStep,
  timelineEntrySchema,
  timelineSchema,
  updateGamedaySchema,
  writeFindingsSchema,
  type FieldIssue,
  type Gameday,
  type GamedaySpec,
  type StreamEvent,
} from '../../src/domain';
import type { CoreContext } from '../context';
import { notFound, validationFailed, versionConflict } from '../errors';
import { answers, idParams, noContent, versionQuery } from '../route-schemas';
import { migrate } from '../store/database';
import { experimentStore } from '../store/experiment-store';
import { gamedayReportFor } from './gameday-report';
import { GAMEDAY_MIGRATIONS, gamedayStore } from './gameday-store';
import { recordTimelineFromEvents } from './timeline-recorder';

const newId = (prefix: string) => `${prefix}_${randomBytes(6).toString('hex')}`;
const stepParams = idParams.extend({ stepId: z.string().min(1) });

const gamedayChanged = (id: string, change: string): StreamEvent => ({
  type: 'resource',
  resource: 'gamedays',
  id,
  change,
});

export async function gamedayRoutes(app: FastifyInstance, ctx: CoreContext): Promise<void> {
  migrate(ctx.db, GAMEDAY_MIGRATIONS);
  const store = gamedayStore(ctx.db);
  const experiments = experimentStore(ctx.db);
  recordTimelineFromEvents(ctx, store);

  const load = (id: string): Gameday => {
    const found = store.get(id);
    if (!found) throw notFound(`game day ${id}`);
    return found;
  };

  /** Every experiment a plan names must exist: a typo would silently drop it from the timeline. */
  const checkExperiments = (spec: GamedaySpec) => {
    const issues: FieldIssue[] = spec.experimentIds.flatMap((id, index) =>
      experiments.get(id)
        ? []
        : [{ path: `experimentIds.${index}`, message: `no experiment has the id "${id}"` }],
    );
    if (issues.length > 0) throw validationFailed(issues);
  };

  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/v1/gamedays',
    { config: { action: 'read' }, schema: { response: answers({ 200: gamedayListSchema }) } },
    async () => ({ gamedays: store.list() }),
  );

  api.get(
    '/api/v1/gamedays/:id',
    {
      config: { action: 'read' },
      schema: { params: idParams, response: answers({ 200: gamedaySchema }) },
    },
    async (request) => load(request.params.id),
  );

  api.post(
    '/api/v1/gamedays',
    {
      config: { action: 'gameday.write' },
      schema: { body: createGamedaySchema, response: answers({ 201: gamedaySchema }) },
    },
    async (request, reply) => {
      const user = ctx.requireUser(request);
      const spec = request.body;
      checkExperiments(spec);
      const id = newId('gd');
      const now = ctx.clock.now();
      const gameday = ctx.mutate(user, 'gameday.create', { type: 'gameday', id }, (scope) => {
        const created: Gameday = {
          id,
          ...spec,
          runbook: applyRunbookEdit([], spec.runbook, () => newId('step')),
          findings: { broke: '', surprised: '', followUps: [] },
          hypothesisOutcomes: [],
          version: 1,
          createdAt: now,
          updatedAt: now,
          createdBy: user.name,
        };
        store.insert(created);
        scope.publish(gamedayChanged(id, 'created'));
        return { before: null, after: created, result: created };
      });
      return reply.status(201).send(gameday);
    },
  );

  api.put(
    '/api/v1/gamedays/:id',
    {
      config: { action: 'gameday.write' },
      schema: {
        params: idParams,
        body: updateGamedaySchema,
        response: answers({ 200: gamedaySchema }),
      },
    },
    async (request) => {
      const user = ctx.requireUser(request);
      const { id } = request.params;
      const { version, spec } = request.body;
      checkExperiments(spec);
      return ctx.mutate(user, 'gameday.update', { type: 'gameday', id }, (scope) => {
        const before = load(id);
        if (before.version !== version) throw versionConflict(before);
        const after: Gameday = {
          ...before,
          ...spec,
          runbook: applyRunbookEdit(before.runbook, spec.runbook, () => newId('step')),
          hypothesisOutcomes: keepOutcomesFor(spec.experimentIds, before.hypothesisOutcomes),
          version: before.version + 1,
          updatedAt: ctx.clock.now(),
        };
        store.save(after);
        scope.publish(gamedayChanged(id, 'updated'));
        return { before, after, result: after };
      });
    },
  );

  api.delete(
    '/api/v1/gamedays/:id',
    {
      config: { action: 'gameday.write' },
      schema: {
        params: idParams,
        querystring: versionQuery,
        response: answers({ 204: noContent }),
      },
    },
    async (request, reply) => {
      const user = ctx.requireUser(request);
      const { id } = request.params;
      const { version } = request.query;
      ctx.mutate(user, 'gameday.delete', { type: 'gameday', id }, (scope) => {
        const before = load(id);
        if (before.version !== version) throw versionConflict(before);
        store.delete(id);
        scope.publish(gamedayChanged(id, 'deleted'));
        return { before, after: null, result: null };
      });
      return reply.status(204).send();
    },
  );

  // A tick names no version: it sets one step to done or open, so two people ticking
  // different steps at once never conflict, and ticking twice is harmless.
  api.post(
    '/api/v1/gamedays/:id/runbook/:stepId',
    {
      config: { action: 'gameday.write' },
      schema: {
        params: stepParams,
        body: tickRunbookStepSchema,
        response: answers({ 200: gamedaySchema }),
      },
    },
    async (request) => {
      const user = ctx.requireUser(request);
      const { id, stepId } = request.params;
      const { done } = request.body;
      return ctx.mutate(
        user,
        done ? 'gameday.runbook.tick' : 'gameday.runbook.untick',
        { type: 'gameday', id },
        (scope) => {
          const before = load(id);
          const step = before.runbook.find((s) => s.id === stepId);
          if (!step) throw notFound(`runbook step ${stepId}`);
          const now = ctx.clock.now();
          const after: Gameday = {
            ...before,
            runbook: tickStep(before.runbook, stepId, done, user.name, now),
            version: before.version + 1,
            updatedAt: now,
          };
          store.save(after);
          scope.publish(gamedayChanged(id, 'updated'));
          return { before: step, after: after.runbook.find((s) => s.id === stepId), result: after };
        },
      );
    },
  );

  // Anyone signed in may write a note: observers and scribes are often viewers.
  api.post(
    '/api/v1/gamedays/:id/notes',
    {
      config: { action: 'read' },
      schema: {
        params: idParams,
        body: addNoteSchema,
        response: answers({ 201: timelineEntrySchema }),
      },
    },
    async (request, reply) => {
      const user = ctx.requireUser(request);
      const { id } = request.params;
      const { text } = request.body;
      const entry = ctx.mutate(user, 'gameday.note', { type: 'gameday', id }, (scope) => {
        load(id);
        const note = store.addTimelineEntry(id, {
          at: ctx.clock.now(),
          kind: 'note',
          experimentId: null,
          text,
          by: user.name,
        });
        scope.publish(gamedayChanged(id, 'timeline'));
        return { before: null, after: note, result: note };
      });
      return reply.status(201).send(entry);
    },
  );

  api.get(
    '/api/v1/gamedays/:id/timeline',
    {
      config: { action: 'read' },
      schema: { params: idParams, response: answers({ 200: timelineSchema }) },
    },
    async (request) => {
      const { id } = request.params;
      load(id);
      return { entries: store.timeline(id) };
    },
  );

  api.put(
    '/api/v1/gamedays/:id/findings',
    {
      config: { action: 'gameday.write' },
      schema: {
        params: idParams,
        body: writeFindingsSchema,
        response: answers({ 200: gamedaySchema }),
      },
    },
    async (request) => {
      const user = ctx.requireUser(request);
      const { id } = request.params;
      const body = request.body;
      return ctx.mutate(user, 'gameday.findings', { type: 'gameday', id }, (scope) => {
        const before = load(id);
        if (before.version !== body.version) throw versionConflict(before);
        const strays = body.hypothesisOutcomes
          .map((o, index) => ({ o, index }))
          .filter(({ o }) => !before.experimentIds.includes(o.experimentId));
        if (strays.length > 0) {
          throw validationFailed(
            strays.map(({ o, index }) => ({
              path: `hypothesisOutcomes.${index}.experimentId`,
              message: `experiment "${o.experimentId}" is not part of this game day`,
            })),
          );
        }
        const after: Gameday = {
          ...before,
          findings: body.findings,
          hypothesisOutcomes: keepOutcomesFor(before.experimentIds, body.hypothesisOutcomes),
          version: before.version + 1,
          updatedAt: ctx.clock.now(),
        };
        store.save(after);
        scope.publish(gamedayChanged(id, 'updated'));
        return {
          before: { findings: before.findings, hypothesisOutcomes: before.hypothesisOutcomes },
          after: { findings: after.findings, hypothesisOutcomes: after.hypothesisOutcomes },
          result: after,
        };
      });
    },
  );

  api.get(
    '/api/v1/gamedays/:id/report',
    {
      config: { action: 'read' },
      schema: {
        params: idParams,
        response: answers({ 200: { content: { 'text/markdown': { schema: z.string() } } } }),
      },
    },
    async (request, reply) => {
      const gameday = load(request.params.id);
      const { fileName, markdown } = gamedayReportFor(ctx, gameday, store.timeline(gameday.id));
      return reply
        .header('content-type', 'text/markdown; charset=utf-8')
        .header('content-disposition', `attachment; filename="${fileName}"`)
        .send(markdown);
    },
  );
}
