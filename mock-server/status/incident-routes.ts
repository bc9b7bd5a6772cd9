import type { FastifyInstance } from 'fastify';
import { randomBytes } from 'node:crypto';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  addIncidentUpdateSchema,
  incidentListSchema,
  incidentSchema,
  resolveIncidentSchema,
  type Incident,
  type IncidentUpdate,
} from '../../src/domain';
import type { CoreContext } from '../context';
import { invalidState, notFound, versionConflict } from '../errors';
import { answers, idParams } from '../route-schemas';
import { openIncidentsOnAbort } from './incident-opener';
import { incidentStore } from './incident-store';

const newId = (prefix: string) => `${prefix}_${randomBytes(6).toString('hex')}`;
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

  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/v1/incidents',
    { config: { action: 'read' }, schema: { response: answers({ 200: incidentListSchema }) } },
    async () => ({ incidents: store.recent(ctx.clock.now() - LIST_WINDOW_MS) }),
  );

  api.get(
    '/api/v1/incidents/:id',
    {
      config: { action: 'read' },
      schema: { params: idParams, response: answers({ 200: incidentSchema }) },
    },
    async (request) => load(request.params.id),
  );

  api.post(
    '/api/v1/incidents/:id/updates',
    {
      config: { action: 'gameday.write' },
      schema: {
        params: idParams,
        body: addIncidentUpdateSchema,
        response: answers({ 200: incidentSchema }),
      },
    },
    async (request) => {
      const user = ctx.requireUser(request);
      const { id } = request.params;
      const { text } = request.body;
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
    },
  );

  api.post(
    '/api/v1/incidents/:id/resolve',
    {
      config: { action: 'gameday.write' },
      schema: {
        params: idParams,
        body: resolveIncidentSchema,
        response: answers({ 200: incidentSchema }),
      },
    },
    async (request) => {
      const user = ctx.requireUser(request);
      const { id } = request.params;
      const { version, text } = request.body;
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
    },
  );
}
