import { ERROR_CODES, type Environment, type User } from '../../src/domain';
import {
  describeFlagChange,
  FLAG_ERROR_CODES,
  flagSpecOf,
  segmentsUsedBy,
  unknownSegmentIssues,
  type Flag,
  type FlagChange,
  type FlagSpec,
  type FlagState,
} from '../../src/domain/flags';
import type { Actor, CoreContext, MutationScope } from '../context';
import { jsonRuleIssues } from './flagd-check';
import { HttpError, notFound, validationFailed, versionConflict } from '../errors';
import type { Evaluator } from './evaluator';
import type { FlagStore } from './flag-store';

export function actorOf(user: User): Actor {
  return { name: user.name, role: user.role };
}

/** Flag writes: each one versioned, audited, recorded in the flag's history and published, in one transaction. */
export function flagService(ctx: CoreContext, store: FlagStore, evaluator: Evaluator) {
  function record(
    scope: MutationScope,
    actor: Actor,
    change: FlagChange,
    before: Flag | null,
    after: Flag | null,
    environment?: Environment,
    comment?: string,
  ) {
    const flag = after ?? before;
    if (!flag) return;
    const summary =
      change === 'killed' || change === 'enabled'
        ? `${environment}: ${change === 'killed' ? 'off' : 'on'}`
        : describeFlagChange(before && flagSpecOf(before), after && flagSpecOf(after));
    store.addHistory(flag.key, {
      version: after?.version ?? before?.version ?? 0,
      at: ctx.clock.now(),
      by: actor.name,
      change,
      ...(environment ? { environment } : {}),
      summary,
      ...(comment ? { comment } : {}),
      flag: after,
    });
    scope.publish({ type: 'resource', resource: 'flags', id: flag.key, change });
  }

  function checkSegments(spec: FlagSpec, prefix = '') {
    const segments = store.listSegments();
    const unknown = unknownSegmentIssues(spec, new Set(segments.map((s) => s.key)));
    const issues = unknown.length > 0 ? unknown : jsonRuleIssues(spec, segments);
    if (issues.length > 0)
      throw validationFailed(issues.map((i) => ({ ...i, path: prefix + i.path })));
  }

  function existing(key: string): Flag {
    const flag = store.getFlag(key);
    if (flag) return flag;
    const version = store.storedFlagVersion(key);
    if (version === null) throw notFound(`flag "${key}"`);
    throw new HttpError(
      409,
      ERROR_CODES.unreadableRecord,
      `flag "${key}" is stored but cannot be read (see GET /api/v1/skipped-records): delete it and create it again`,
      { kind: 'flag', id: key, version },
    );
  }

  function write<T>(
    actor: Actor,
    action: string,
    key: string,
    fn: (scope: MutationScope) => { before: Flag | null; after: Flag | null; result: T },
  ): T {
    const result = ctx.mutate(actor, action, { type: 'flag', id: key }, fn);
    evaluator.invalidate();
    return result;
  }

  function stamp(spec: FlagSpec, actor: Actor, previous: Flag | null): Flag {
    const now = ctx.clock.now();
    return {
      ...spec,
      version: (previous?.version ?? 0) + 1,
      createdAt: previous?.createdAt ?? now,
      updatedAt: now,
      updatedBy: actor.name,
    };
  }

  function setState(
    actor: Actor,
    key: string,
    environment: Environment,
    state: FlagState,
    outer?: MutationScope,
    comment?: string,
  ): Flag {
    const change: FlagChange = state === 'off' ? 'killed' : 'enabled';
    const action = state === 'off' ? 'flag.kill' : 'flag.enable';
    const apply = (scope: MutationScope) => {
      const before = existing(key);
      // Idempotent: switching to the state it is already in changes nothing.
      if (before.environments[environment].state === state)
        return { before, after: before, result: before };
      const after = stamp(
        {
          ...flagSpecOf(before),
          environments: {
            ...before.environments,
            [environment]: { ...before.environments[environment], state },
          },
        },
        actor,
        before,
      );
      store.putFlag(after);
      record(scope, actor, change, before, after, environment, comment);
      return { before, after, result: after, ...(comment ? { comment } : {}) };
    };
    if (!outer) return write(actor, action, key, apply);
    // Part of a larger change (halt all): its audit row and events join that transaction.
    const { before, after, result } = apply(outer);
    if (after !== before) outer.audit(action, { type: 'flag', id: key }, before, after);
    evaluator.invalidate();
    return result;
  }

  /**
   * A guarded rollout's step: the flag on in `environment`, its last rule for everyone serving
   * `variant` to `weight` % and the off variant to the rest (a rule is added when there is
   * none). Rules before it keep serving whom they target. Part of the rollout's change: its audit
   * row and event join that transaction.
   */
  function rollTo(
    actor: Actor,
    key: string,
    environment: Environment,
    variant: string,
    weight: number,
    scope: MutationScope,
  ): Flag {
    const before = existing(key);
    const targeting = before.environments[environment];
    const serve = {
      kind: 'rollout' as const,
      split: [
        { variant, weight },
        { variant: before.offVariant, weight: 100 - weight },
      ],
    };
    const last = targeting.rules.at(-1);
    const rules =
      last && last.conditions.length === 0
        ? [...targeting.rules.slice(0, -1), { ...last, serve }]
        : [...targeting.rules, { name: 'Guarded rollout', conditions: [], serve }];
    const after = stamp(
      {
        ...flagSpecOf(before),
        environments: { ...before.environments, [environment]: { state: 'on', rules } },
      },
      actor,
      before,
    );
    store.putFlag(after);
    record(scope, actor, 'updated', before, after, environment);
    scope.audit('flag.update', { type: 'flag', id: key }, before, after);
    evaluator.invalidate();
    return after;
  }

  /** A record that cannot be read is deleted as it is: its audit row names it; it has no history. */
  function removeUnreadable(actor: Actor, key: string, version: number, stored: number): void {
    ctx.mutate(actor, 'flag.delete', { type: 'flag', id: key }, (scope) => {
      if (stored !== version) throw versionConflict({ key, version: stored });
      store.deleteFlag(key);
      scope.publish({ type: 'resource', resource: 'flags', id: key, change: 'deleted' });
      return { before: { key, version: stored, unreadable: true }, after: null, result: undefined };
    });
    evaluator.invalidate();
  }

  return {
    list: () => store.listFlags(),
    get: existing,
    history(key: string) {
      const entries = store.history(key);
      if (entries.length === 0 && !store.getFlag(key)) throw notFound(`flag "${key}"`);
      return entries;
    },
    create(actor: Actor, spec: FlagSpec): Flag {
      checkSegments(spec);
      return write(actor, 'flag.create', spec.key, (scope) => {
        const current = store.getFlag(spec.key);
        if (current || store.storedFlagVersion(spec.key) !== null)
          throw new HttpError(409, FLAG_ERROR_CODES.exists, `a flag "${spec.key}" already exists`, {
            current,
          });
        const after = stamp(spec, actor, null);
        store.putFlag(after);
        record(scope, actor, 'created', null, after);
        return { before: null, after, result: after };
      });
    },
    update(actor: Actor, key: string, version: number, spec: FlagSpec): Flag {
      if (spec.key !== key)
        throw validationFailed([{ path: 'spec.key', message: "a flag's key cannot change" }]);
      checkSegments(spec, 'spec.');
      return write(actor, 'flag.update', key, (scope) => {
        const before = existing(key);
        if (before.version !== version) throw versionConflict(before);
        const after = stamp(spec, actor, before);
        store.putFlag(after);
        record(scope, actor, 'updated', before, after);
        return { before, after, result: after };
      });
    },
    remove(actor: Actor, key: string, version: number): void {
      const unreadable = store.getFlag(key) === null ? store.storedFlagVersion(key) : null;
      if (unreadable !== null) {
        removeUnreadable(actor, key, version, unreadable);
        return;
      }
      write(actor, 'flag.delete', key, (scope) => {
        const before = existing(key);
        if (before.version !== version) throw versionConflict(before);
        store.deleteFlag(key);
        record(scope, actor, 'deleted', before, null);
        return { before, after: null, result: undefined };
      });
    },
    /** The kill switch: off in one environment. Allowed to every signed-in user; idempotent. */
    kill: (actor: Actor, key: string, environment: Environment, scope?: MutationScope) =>
      setState(actor, key, environment, 'off', scope),
    enable: (actor: Actor, key: string, environment: Environment) =>
      setState(actor, key, environment, 'on'),
    rollTo,
    /** A person's switch from the dashboard: off (the kill switch) or on, with their reason. */
    switchState: (
      actor: Actor,
      key: string,
      environment: Environment,
      state: FlagState,
      comment?: string,
    ) => setState(actor, key, environment, state, undefined, comment || undefined),
    /** Flags whose rules name the segment. */
    usersOf: (segmentKey: string) =>
      store
        .listFlags()
        .filter((flag) => segmentsUsedBy(flag).has(segmentKey))
        .map((flag) => flag.key),
    record,
    stamp,
  };
}
export type FlagService = ReturnType<typeof flagService>;
