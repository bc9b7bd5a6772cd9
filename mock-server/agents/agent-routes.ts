import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ERROR_CODES } from '../../src/domain';
import {
  agentHelloSchema,
  agentReportsSchema,
  newAgentTokenSchema,
  type AgentTokenView,
  type AgentView,
} from '../../src/domain/agents';
import { bearerToken, type Actor, type CoreContext } from '../context';
import { HttpError } from '../errors';
import { parseWith } from '../parse';
import { AgentConflictError, createAgentHub, type AgentHub } from './agent-hub';
import { agentTokenStore } from './agent-token-store';

const idParams = z.object({ id: z.string().min(1).max(64) });

const STREAM_HEAD = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
};

export interface AgentModule {
  hub: AgentHub;
  /**
   * The faults this server wants an agent to hold when it connects; every other fault the
   * agent holds is removed (after a server restart, nothing is running, so nothing is kept).
   */
  setExpectedFaults(fn: (agentId: string) => string[]): void;
}

/** Agent tokens (admin), agent connections, their command streams and reports. */
export async function agentModule(
  app: FastifyInstance,
  ctx: CoreContext,
  instanceTaken: (id: string) => boolean,
): Promise<AgentModule> {
  const tokens = agentTokenStore(ctx.db);
  const hub = createAgentHub(ctx.clock);
  let expectedFaults: (agentId: string) => string[] = () => [];
  app.addHook('preClose', async () => hub.close());

  /** The agent token a request carries; a wrong or revoked one is refused and audited. */
  function requireAgent(request: FastifyRequest): AgentTokenView {
    const token = bearerToken(request);
    const view = token ? tokens.verify(token, ctx.clock.now()) : null;
    if (view) return view;
    const actor: Actor = { name: 'unknown agent', role: 'system' };
    ctx.mutate(actor, 'agent.refused', { type: 'agent', id: request.ip }, () => ({
      before: null,
      after: {
        reason: token ? 'wrong or revoked agent token' : 'no agent token',
        path: request.url,
      },
      result: undefined,
    }));
    throw new HttpError(401, ERROR_CODES.unauthenticated, 'this needs a valid agent token');
  }

  app.get('/api/v1/agent-tokens', async (request): Promise<{ tokens: AgentTokenView[] }> => {
    ctx.requireAction(request, 'admin.settings');
    return { tokens: tokens.list() };
  });

  app.post('/api/v1/agent-tokens', async (request, reply) => {
    const user = ctx.requireAction(request, 'admin.settings');
    const { name } = parseWith(newAgentTokenSchema, request.body);
    const created = ctx.mutate(
      user,
      'agent-token.create',
      { type: 'agent-token', id: name },
      () => {
        const made = tokens.create(name, user.name, ctx.clock.now());
        return { before: null, after: made.view, result: made };
      },
    );
    reply.code(201);
    // The token itself is in this answer only; the server keeps its hash.
    return { ...created.view, token: created.token };
  });

  app.delete('/api/v1/agent-tokens/:id', async (request): Promise<AgentTokenView> => {
    const user = ctx.requireAction(request, 'admin.settings');
    const { id } = parseWith(idParams, request.params);
    const before = tokens.get(id);
    if (!before) throw new HttpError(404, ERROR_CODES.notFound, `no agent token ${id}`);
    const after = ctx.mutate(user, 'agent-token.revoke', { type: 'agent-token', id }, () => {
      tokens.revoke(id, ctx.clock.now());
      const revoked = tokens.get(id)!;
      return { before, after: revoked, result: revoked };
    });
    hub.disconnectToken(id);
    return after;
  });

  app.get('/api/v1/agents', async (request): Promise<{ agents: AgentView[] }> => {
    ctx.requireAction(request, 'read');
    return { agents: hub.list() };
  });

  app.post('/api/v1/agents/connect', { config: { public: true } }, async (request) => {
    const token = requireAgent(request);
    const hello = parseWith(agentHelloSchema, request.body);
    let agentId: string;
    try {
      agentId = hub.connect(token, hello, instanceTaken);
    } catch (error) {
      if (error instanceof AgentConflictError) {
        throw new HttpError(409, ERROR_CODES.conflict, error.message);
      }
      throw error;
    }
    // Reconcile before anything else: what the agent still holds but this server does not
    // expect (after a restart: everything) is removed.
    void hub.send(agentId, { op: 'reconcile', keep: expectedFaults(agentId) });
    return { agentId };
  });

  app.get('/api/v1/agents/:id/commands', { config: { public: true } }, async (request, reply) => {
    const token = requireAgent(request);
    const { id } = parseWith(idParams, request.params);
    reply.hijack();
    reply.raw.writeHead(200, STREAM_HEAD);
    if (!hub.openStream(id, token.id, reply.raw)) {
      reply.raw.end('event: gone\ndata: {}\n\n');
    }
  });

  app.post('/api/v1/agents/:id/reports', { config: { public: true } }, async (request, reply) => {
    const token = requireAgent(request);
    const { id } = parseWith(idParams, request.params);
    const { reports } = parseWith(agentReportsSchema, request.body);
    if (!hub.report(id, token.id, reports)) {
      throw new HttpError(404, ERROR_CODES.notFound, `no connected agent ${id}: connect again`);
    }
    reply.code(204);
  });

  return {
    hub,
    setExpectedFaults(fn) {
      expectedFaults = fn;
    },
  };
}
