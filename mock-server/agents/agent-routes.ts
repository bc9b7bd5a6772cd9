import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ERROR_CODES } from '../../src/domain';
import {
  agentHeartbeatSchema,
  agentHelloSchema,
  agentReportsSchema,
  agentTokenViewSchema,
  agentViewSchema,
  newAgentTokenSchema,
  type AgentFault,
  type AgentTokenView,
  type FaultReport,
} from '../../src/domain/agents';
import { bearerToken, type Actor, type ServerContext } from '../context';
import { agentFaultFor, agentFaultId, experimentOfFault } from './agent-backend';
import { HttpError } from '../errors';
import { failureLimiter } from '../rate-limits';
import { answers, idParams, noContent } from '../route-schemas';
import { AgentConflictError, type AgentHub } from './agent-hub';
import { agentTokenStore } from './agent-token-store';

const createdTokenSchema = agentTokenViewSchema.extend({
  /** The token itself: in this answer only; the server keeps its hash. */
  token: z.string(),
});

/** The command stream: server-sent events, `command` and `lease` (see docs/agent.md). */
const eventStream = z.string().describe('text/event-stream of agent commands and lease pings');

/** A fault an agent should hold now: an instance of a running experiment at its step. */
interface ExpectedFault {
  faultId: string;
  target: string;
  fault: AgentFault;
}

export interface AgentModule {
  hub: AgentHub;
  /**
   * The faults this server wants an agent to hold when it connects. The agent and the server
   * reconcile: every other fault the agent holds is removed (after a server restart nothing
   * is running, so nothing is kept), and an expected fault it does not hold (it restarted, or
   * its lease ran out while its stream was down) is applied again at the current step.
   */
  setExpectedFaults(fn: (agentId: string) => ExpectedFault[]): void;
}

/** Agent tokens (admin), agent connections, their command streams and reports. */
export async function agentModule(
  app: FastifyInstance,
  ctx: ServerContext,
  hub: AgentHub,
  instanceTaken: (id: string) => boolean,
): Promise<AgentModule> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const tokens = agentTokenStore(ctx.db);
  /** What the engine has running on an agent's targets: the faults it should hold now. */
  let expectedFaults = (agentId: string): ExpectedFault[] =>
    ctx.experiments.list({ state: 'running' }).flatMap((experiment) => {
      const run = experiment.run;
      if (!run) return [];
      const step = experiment.steps[Math.min(run.stepIndex, experiment.steps.length - 1)];
      const fault = agentFaultFor(experiment.attack.type, step?.magnitude);
      if (typeof fault === 'string') return [];
      return run.targets
        .filter((instanceId) => hub.ownerOf(instanceId) === agentId)
        .map((instanceId) => ({
          faultId: agentFaultId(experiment.id, instanceId),
          target: instanceId,
          fault,
        }));
    });
  app.addHook('preClose', async () => hub.close());

  const agentFailed = failureLimiter(
    app,
    'requests with a wrong agent token',
    ctx.config.rateLimits.authFailures,
  );
  /** The token each request's preValidation accepted, for its handler. */
  const accepted = new WeakMap<FastifyRequest, AgentTokenView>();

  /**
   * The agent token a request carries, checked once, before its body is read. A missing, wrong
   * or revoked one is counted: past the limit it gets a 429 before it is audited, so strangers
   * cannot grow the audit log without bound; within it, it is audited and refused. Checking it is
   * not a use: a handler marks the token used (`lastUsedAt`) once it has accepted the request, so
   * a refused one (a bad body, an agent this token did not connect, a clash) is not.
   */
  async function requireAgent(
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<AgentTokenView> {
    const token = bearerToken(request);
    const view = token ? tokens.verify(token) : null;
    if (view) {
      accepted.set(request, view);
      return view;
    }
    await agentFailed(request, reply);
    const actor: Actor = { name: 'unknown agent', role: 'system' };
    ctx.mutate(actor, 'agent.refused', { type: 'agent', id: request.ip }, () => ({
      before: null,
      after: { reason: token ? 'wrong or revoked agent token' : 'no agent token' },
      result: undefined,
    }));
    throw new HttpError(401, ERROR_CODES.unauthenticated, 'this needs a valid agent token');
  }

  /** The preValidation of an agent's routes that take a body. */
  const checkAgent = async (request: FastifyRequest, reply: FastifyReply) => {
    await requireAgent(request, reply);
  };

  /** The token `checkAgent` accepted for this request. */
  function acceptedToken(request: FastifyRequest): AgentTokenView {
    const view = accepted.get(request);
    if (!view) throw new Error('an agent route ran without checkAgent');
    return view;
  }

  /**
   * What the agent actually did with an experiment's fault, written to the audit log under that
   * experiment (`agent.fault.applied`, `.changed`, `.removed`, `.refused`, `.failed`), so the
   * run's record says what happened on each instance, not only what was asked. Only answers to
   * commands this server sent are recorded: an agent cannot grow the log with reports of its own.
   */
  function recordOnExperiments(token: AgentTokenView, reports: FaultReport[]): void {
    const actor: Actor = { name: `agent ${token.name}`, role: 'system' };
    for (const report of reports) {
      const experimentId = experimentOfFault(report.faultId);
      if (!experimentId || !ctx.experiments.get(experimentId)) continue;
      ctx.mutate(
        actor,
        `agent.fault.${report.outcome}`,
        { type: 'experiment', id: experimentId },
        () => ({ before: null, after: report, result: undefined }),
      );
    }
  }

  api.get(
    '/api/v1/agent-tokens',
    {
      config: { action: 'admin.settings' },
      schema: { response: answers({ 200: z.object({ tokens: z.array(agentTokenViewSchema) }) }) },
    },
    async () => ({ tokens: tokens.list() }),
  );

  api.post(
    '/api/v1/agent-tokens',
    {
      config: { action: 'admin.settings' },
      schema: { body: newAgentTokenSchema, response: answers({ 201: createdTokenSchema }) },
    },
    async (request, reply) => {
      const user = ctx.requireUser(request);
      const { name } = request.body;
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
      return { ...created.view, token: created.token };
    },
  );

  api.delete(
    '/api/v1/agent-tokens/:id',
    {
      config: { action: 'admin.settings' },
      schema: { params: idParams, response: answers({ 200: agentTokenViewSchema }) },
    },
    async (request) => {
      const user = ctx.requireUser(request);
      const { id } = request.params;
      const before = tokens.get(id);
      if (!before) throw new HttpError(404, ERROR_CODES.notFound, `no agent token ${id}`);
      const after = ctx.mutate(user, 'agent-token.revoke', { type: 'agent-token', id }, () => {
        tokens.revoke(id, ctx.clock.now());
        const revoked = tokens.get(id)!;
        return { before, after: revoked, result: revoked };
      });
      // Its agents' streams end: their leases run out and they remove every fault.
      hub.disconnectToken(id);
      return after;
    },
  );

  api.get(
    '/api/v1/agents',
    {
      config: { action: 'read' },
      schema: { response: answers({ 200: z.object({ agents: z.array(agentViewSchema) }) }) },
    },
    async () => ({ agents: hub.list() }),
  );

  api.post(
    '/api/v1/agents/connect',
    {
      config: { public: true },
      // The token is checked before the body is read: a stranger learns nothing from a 400.
      preValidation: checkAgent,
      schema: {
        body: agentHelloSchema,
        response: answers({ 200: z.object({ agentId: z.string() }) }),
      },
    },
    async (request) => {
      const token = acceptedToken(request);
      let agentId: string;
      try {
        agentId = hub.connect(token, request.body, instanceTaken);
      } catch (error) {
        if (error instanceof AgentConflictError) {
          throw new HttpError(409, ERROR_CODES.alreadyExists, error.message);
        }
        throw error;
      }
      tokens.markUsed(token.id, ctx.clock.now());
      // Reconcile: what the agent holds but this server does not expect (after a server
      // restart: everything) is removed; what a running experiment expects on its targets is
      // applied again if the agent lost it (it restarted), or set to the current step.
      const expected = expectedFaults(agentId);
      const holding = new Set(request.body.holding);
      void hub.send(agentId, { op: 'reconcile', keep: expected.map((item) => item.faultId) });
      for (const { faultId, target, fault } of expected) {
        void hub.send(
          agentId,
          holding.has(faultId)
            ? { op: 'change', faultId, fault }
            : { op: 'apply', faultId, target, fault },
        );
      }
      return { agentId };
    },
  );

  api.get(
    '/api/v1/agents/:id/commands',
    {
      config: { public: true },
      schema: { params: idParams, response: answers({ 200: eventStream }) },
    },
    async (request, reply) => {
      const token = await requireAgent(request, reply);
      reply.hijack();
      reply.raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
      });
      if (!hub.openStream(request.params.id, token.id, reply.raw)) {
        reply.raw.end('event: gone\ndata: {}\n\n');
        return;
      }
      tokens.markUsed(token.id, ctx.clock.now());
    },
  );

  api.post(
    '/api/v1/agents/:id/reports',
    {
      config: { public: true },
      preValidation: checkAgent,
      schema: { params: idParams, body: agentReportsSchema, response: answers({ 204: noContent }) },
    },
    async (request, reply) => {
      const token = acceptedToken(request);
      const settled = hub.report(request.params.id, token.id, request.body.reports);
      if (!settled) {
        throw new HttpError(
          404,
          ERROR_CODES.notFound,
          `no connected agent ${request.params.id}: connect again`,
        );
      }
      tokens.markUsed(token.id, ctx.clock.now());
      recordOnExperiments(token, settled);
      reply.code(204);
    },
  );

  api.post(
    '/api/v1/agents/:id/heartbeat',
    {
      config: { public: true },
      preValidation: checkAgent,
      schema: {
        params: idParams,
        body: agentHeartbeatSchema,
        response: answers({ 204: noContent }),
      },
    },
    async (request, reply) => {
      const token = acceptedToken(request);
      if (!hub.heartbeat(request.params.id, token.id, request.body)) {
        throw new HttpError(
          404,
          ERROR_CODES.notFound,
          `no connected agent ${request.params.id}: connect again`,
        );
      }
      tokens.markUsed(token.id, ctx.clock.now());
      reply.code(204);
    },
  );

  return {
    hub,
    setExpectedFaults(fn) {
      expectedFaults = fn;
    },
  };
}
