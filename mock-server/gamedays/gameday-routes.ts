import type { FastifyInstance } from 'fastify';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import {
  addNoteSchema,
  applyRunbookEdit,
  createGamedaySchema,
  keepOutcomesFor,
  tickRunbookStepSchema,
  tickStep,
  updateGamedaySchema,
  writeFindingsSchema,
  type FieldIssue,
  type Gameday,
  type GamedaySpec,
  type StreamEvent,
} from '../../src/domain';
import type { CoreContext } from '../context';
import { notFound, validationFailed, versionConflict } from '../errors';
import { parseWith } from '../parse';
import { migrate } from '../store/database';
import { experimentStore } from '../store/experiment-store';
import { gamedayReportFor } from './gameday-report';
import { GAMEDAY_MIGRATIONS, gamedayStore } from './gameday-store';
import { recordTimelineFromEvents } from './timeline-recorder';

const newId = (prefix: string) => `${prefix}_${randomBytes(6).toString('hex')}`;
const idParams = z.object({ id: z.string().min(1) });
const stepParams = idParams.extend({ stepId: z.string().min(1) });
const versionQuery = z.object({
  version: z.coerce
    .number({ error: 'version must be a number' })
    .int('version must be a whole number'),
});

export const gamedayChanged = (id: string, change: string): StreamEvent => ({
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

  app.get('/api/v1/gamedays', async (request) => {
    ctx.requireAction(request, 'read');
    return { gamedays: store.list() };
  });

  app.get('/api/v1/gamedays/:id', async (request) => {
    ctx.requireAction(request, 'read');
    return load(parseWith(idParams, request.params).id);
  });

  app.post('/api/v1/gamedays', async (request, reply) => {
    const user = ctx.requireAction(request, 'gameday.write');
    const spec = parseWith(createGamedaySchema, request.body);
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
  });

  app.put('/api/v1/gamedays/:id', async (request) => {
    const user = ctx.requireAction(request, 'gameday.write');
    const { id } = parseWith(idParams, request.params);
    const { version, spec } = parseWith(updateGamedaySchema, request.body);
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
  });

  app.delete('/api/v1/gamedays/:id', async (request, reply) => {
    const user = ctx.requireAction(request, 'gameday.write');
    const { id } = parseWith(idParams, request.params);
    const { version } = parseWith(versionQuery, request.query);
    ctx.mutate(user, 'gameday.delete', { type: 'gameday', id }, (scope) => {
      const before = load(id);
      if (before.version !== version) throw versionConflict(before);
      store.delete(id);
      scope.publish(gamedayChanged(id, 'deleted'));
      return { before, after: null, result: null };
    });
    return reply.status(204).send();
  });

  // A tick names no version: it sets one step to done or open, so two people ticking
  // different steps at once never conflict, and ticking twice is harmless.
  app.post('/api/v1/gamedays/:id/runbook/:stepId', async (request) => {
    const user = ctx.requireAction(request, 'gameday.write');
    const { id, stepId } = parseWith(stepParams, request.params);
    const { done } = parseWith(tickRunbookStepSchema, request.body);
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
  });

  // Anyone signed in may write a note: observers and scribes are often viewers.
  app.post('/api/v1/gamedays/:id/notes', async (request, reply) => {
    const user = ctx.requireAction(request, 'read');
    const { id } = parseWith(idParams, request.params);
    const { text } = parseWith(addNoteSchema, request.body);
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
  });

  app.get('/api/v1/gamedays/:id/timeline', async (request) => {
    ctx.requireAction(request, 'read');
    const { id } = parseWith(idParams, request.params);
    load(id);
    return { entries: store.timeline(id) };
  });

  app.put('/api/v1/gamedays/:id/findings', async (request) => {
    const user = ctx.requireAction(request, 'gameday.write');
    const { id } = parseWith(idParams, request.params);
    const body = parseWith(writeFindingsSchema, request.body);
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
  });

  app.get('/api/v1/gamedays/:id/report', async (request, reply) => {
    ctx.requireAction(request, 'read');
    const gameday = load(parseWith(idParams, request.params).id);
    const { fileName, markdown } = gamedayReportFor(ctx, gameday, store.timeline(gameday.id));
    return reply
      .header('content-type', 'text/markdown; charset=utf-8')
      .header('content-disposition', `attachment; filename="${fileName}"`)
      .send(markdown);
  });
}
