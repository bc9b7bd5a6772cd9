import type { FastifyInstance } from 'fastify';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import {
  addIncidentUpdateSchema,
  resolveIncidentSchema,
  type Incident,
  type IncidentUpdate,
} from '../../src/domain';
import type { CoreContext } from '../context';
import { invalidState, notFound, versionConflict } from '../errors';
import { parseWith } from '../parse';
import { openIncidentsOnAbort } from './incident-opener';
import { incidentStore } from './incident-store';

const newId = (prefix: string) => `${prefix}_${randomBytes(6).toString('hex')}`;
const idParams = z.object({ id: z.string().min(1) });
/** How far back the list reaches for resolved incidents, in ms (90 days). */
const LIST_WINDOW_MS = 90 * 86_400_000;

export async function incidentRoutes(app: FastifyInstance, ctx: CoreContext): Promise<void> {
  const store = incidentStore(ctx.db);
  openIncidentsOnAbort(ctx, store);

  const load = (id: string): Incident => {
    const found = store.get(id);
    if (!found) throw notFound(`incident ${id}`);
    return found;
  };
  const changed = (id: string, change: string) => ({
    type: 'resource' as const,
    resource: 'incidents',
    id,
    change,
  });

  app.get('/api/v1/incidents', async (request) => {
    ctx.requireAction(request, 'read');
    return { incidents: store.recent(ctx.clock.now() - LIST_WINDOW_MS) };
  });

  app.get('/api/v1/incidents/:id', async (request) => {
    ctx.requireAction(request, 'read');
    return load(parseWith(idParams, request.params).id);
  });

  app.post('/api/v1/incidents/:id/updates', async (request) => {
    const user = ctx.requireAction(request, 'gameday.write');
    const { id } = parseWith(idParams, request.params);
    const { text } = parseWith(addIncidentUpdateSchema, request.body);
    return ctx.mutate(user, 'incident.update', { type: 'incident', id }, (scope) => {
      const before = load(id);
      const update: IncidentUpdate = {
        id: newId('upd'),
        at: ctx.clock.now(),
        author: user.name,
        text,
        resolves: false,
      };
      const after: Incident = {
        ...before,
        updates: [...before.updates, update],
        version: before.version + 1,
      };
      store.save(after);
      scope.publish(changed(id, 'updated'));
      return { before: null, after: update, result: after };
    });
  });

  app.post('/api/v1/incidents/:id/resolve', async (request) => {
    const user = ctx.requireAction(request, 'gameday.write');
    const { id } = parseWith(idParams, request.params);
    const { version, text } = parseWith(resolveIncidentSchema, request.body);
    return ctx.mutate(user, 'incident.resolve', { type: 'incident', id }, (scope) => {
      const before = load(id);
      if (before.state === 'resolved')
        throw invalidState('this incident is already resolved', before);
      if (before.version !== version) throw versionConflict(before);
      const now = ctx.clock.now();
      const update: IncidentUpdate = {
        id: newId('upd'),
        at: now,
        author: user.name,
        text,
        resolves: true,
      };
      const after: Incident = {
        ...before,
        state: 'resolved',
        resolvedAt: now,
        updates: [...before.updates, update],
        version: before.version + 1,
      };
      store.save(after);
      scope.publish(changed(id, 'resolved'));
      return {
        before: { state: before.state },
        after: { state: after.state, update },
        result: after,
      };
    });
  });
}
