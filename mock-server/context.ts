import type { FastifyRequest } from 'fastify';
import type {
  Action,
  BlastRadiusSource,
  Environment,
  Experiment,
  Instance,
  StreamEvent,
  User,
} from '../src/domain';
import { ERROR_CODES, can } from '../src/domain';
import type { Actor } from './actor';
import type { Backend } from './backends/seams';
import type { EventBus } from './bus';
import type { Engine } from './engine/engine-api';
import type { ExperimentStore } from './store/experiment-store';
import type { Clock } from './clock';
import type { ServerConfig } from './config';
import { HttpError } from './errors';
import type { Identity } from './identity';
import type { Random } from './random';
import type { AuditStore } from './store/audit-store';
import type { Db } from './store/database';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user, set from the bearer token before the handler runs; null when none. */
    user: User | null;
  }
  interface FastifyContextConfig {
    /** A route that answers without a bearer token (it may still check one itself). */
    public?: boolean;
    /** What the route does: a user whose role may not do it gets 403 before the request is read. */
    action?: Action;
  }
}

export { SYSTEM_ACTOR, type Actor } from './actor';

interface AuditTarget {
  type: string;
  id: string;
}

/** What a change hands back to `mutate`: the record before and after (for the audit row) and its result. */
export interface Change<T> {
  before: unknown;
  after: unknown;
  result: T;
  /** Why, in the actor's words: stored on the audit row. */
  comment?: string;
}

/** Inside a `mutate`: more audit rows and stream events belonging to the same change. */
export interface MutationScope {
  /** Another audit row, written in the same transaction. */
  audit(action: string, target: AuditTarget, before: unknown, after: unknown): void;
  /** An event to publish once the transaction has committed (never for a change rolled back). */
  publish(event: StreamEvent): void;
}

/**
 * Narrows an inherited blast radius to the instances eligible for it, or refuses with a reason
 * the user reads ("flag checkout-v2 has no cohort in staging").
 */
type BlastRadiusSourceResolver = (input: {
  source: BlastRadiusSource;
  service: string;
  environment: Environment;
}) => { eligible: (instance: Instance) => boolean } | { refused: string };

/** Runs inside the halt-all transaction, after the experiments are halted; returns the flag keys it turned off. */
type HaltAllHook = (
  input: {
    actor: Actor;
    halted: readonly Experiment[];
    killFlags: boolean;
    environment?: Environment;
    service?: string;
  },
  scope: MutationScope,
) => string[];

/** Runs inside the transaction that aborts an experiment, once it is saved as aborted. */
type AbortHook = (aborted: Experiment, scope: MutationScope) => void;

/** The seams feature modules plug into. */
export interface Extensions {
  blastRadiusSources: Map<'flag', BlastRadiusSourceResolver>;
  haltAllHooks: HaltAllHook[];
  abortHooks: AbortHook[];
}

/** What every route module receives. */
export interface CoreContext {
  config: ServerConfig;
  db: Db;
  clock: Clock;
  random: Random;
  bus: EventBus;
  identity: Identity;
  audit: AuditStore;
  extensions: Extensions;
  /**
   * Runs `fn` and writes its audit row (actor, role, time, action, target, before, after) in one
   * SQLite transaction; publishes the events `fn` queued only after it commits. When `fn` throws,
   * nothing is written and nothing is published.
   */
  mutate<T>(
    actor: Actor,
    action: string,
    target: AuditTarget,
    fn: (scope: MutationScope) => Change<T>,
  ): T;
  /** The signed-in user, or a 401. */
  requireUser(request: FastifyRequest): User;
  /** The signed-in user when their role may do `action`; 401 or 403 otherwise. */
  requireAction(request: FastifyRequest, action: Action): User;
}

/** The core plus the backend (metrics source, target inventory, fault injector), the experiment store and the engine. */
export interface ServerContext extends CoreContext {
  backend: Backend;
  experiments: ExperimentStore;
  engine: Engine;
}

export function createCoreContext(
  parts: Omit<CoreContext, 'mutate' | 'requireUser' | 'requireAction' | 'extensions'>,
): CoreContext {
  const { db, clock, bus, audit } = parts;

  function mutate<T>(
    actor: Actor,
    action: string,
    target: AuditTarget,
    fn: (scope: MutationScope) => Change<T>,
  ): T {
    const events: StreamEvent[] = [];
    const run = db.transaction(() => {
      const rows: Parameters<AuditStore['append']>[0][] = [];
      const scope: MutationScope = {
        audit: (extraAction, extraTarget, before, after) =>
          rows.push(auditRecord(actor, extraAction, extraTarget, before, after, clock.now())),
        publish: (event) => events.push(event),
      };
      const change = fn(scope);
      audit.append({
        ...auditRecord(actor, action, target, change.before, change.after, clock.now()),
        ...(change.comment ? { comment: change.comment } : {}),
      });
      for (const row of rows) audit.append(row);
      return change.result;
    });
    const result = run();
    for (const event of events) bus.publish(event);
    return result;
  }

  function requireUser(request: FastifyRequest): User {
    if (!request.user)
      throw new HttpError(
        401,
        ERROR_CODES.unauthenticated,
        'sign in first: this needs a bearer token',
      );
    return request.user;
  }

  function requireAction(request: FastifyRequest, action: Action): User {
    const user = requireUser(request);
    if (!can(user.role, action)) {
      throw new HttpError(
        403,
        ERROR_CODES.forbidden,
        `a ${user.role} may not do this (${action})`,
        { action, role: user.role },
      );
    }
    return user;
  }

  return {
    ...parts,
    extensions: { blastRadiusSources: new Map(), haltAllHooks: [], abortHooks: [] },
    mutate,
    requireUser,
    requireAction,
  };
}

function auditRecord(
  actor: Actor,
  action: string,
  target: AuditTarget,
  before: unknown,
  after: unknown,
  at: number,
) {
  return {
    at,
    actor: actor.name,
    role: actor.role,
    action,
    targetType: target.type,
    targetId: target.id,
    before,
    after,
  };
}

/** The bearer token of a request, if it carries one. */
export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  return match?.[1] ?? null;
}
