import { FLAG_ERROR_CODES, type Segment, type SegmentSpec } from '../../src/domain/flags';
import type { Actor, Change, CoreContext, MutationScope } from '../context';
import { segmentRuleIssues } from './flagd-check';
import { HttpError, notFound, validationFailed, versionConflict } from '../errors';
import type { Evaluator } from './evaluator';
import type { FlagService } from './flag-service';
import type { FlagStore } from './flag-store';

/** Segment writes: versioned, audited and published like flags; flags see a change at once. */
export function segmentService(
  ctx: CoreContext,
  store: FlagStore,
  evaluator: Evaluator,
  flags: FlagService,
) {
  function existing(key: string): Segment {
    const segment = store.getSegment(key);
    if (!segment) throw notFound(`segment "${key}"`);
    return segment;
  }

  function stamp(spec: SegmentSpec, actor: Actor, previous: Segment | null): Segment {
    const now = ctx.clock.now();
    return {
      ...spec,
      version: (previous?.version ?? 0) + 1,
      createdAt: previous?.createdAt ?? now,
      updatedAt: now,
      updatedBy: actor.name,
    };
  }

  function write<T>(
    actor: Actor,
    action: string,
    key: string,
    fn: (scope: MutationScope) => Change<T>,
  ): T {
    const result = ctx.mutate(actor, action, { type: 'segment', id: key }, fn);
    evaluator.invalidate();
    return result;
  }

  function checkRule(spec: SegmentSpec, prefix = '') {
    const issues = segmentRuleIssues(spec);
    if (issues.length > 0)
      throw validationFailed(issues.map((i) => ({ ...i, path: prefix + i.path })));
  }

  return {
    list: () => store.listSegments(),
    get: existing,
    create(actor: Actor, spec: SegmentSpec): Segment {
      checkRule(spec);
      return write<Segment>(actor, 'segment.create', spec.key, (scope) => {
        const current = store.getSegment(spec.key);
        if (current)
          throw new HttpError(
            409,
            FLAG_ERROR_CODES.exists,
            `a segment "${spec.key}" already exists`,
            { current },
          );
        const after = stamp(spec, actor, null);
        store.putSegment(after);
        scope.publish({ type: 'resource', resource: 'segments', id: spec.key, change: 'created' });
        return { before: null, after, result: after };
      });
    },
    update(actor: Actor, key: string, version: number, spec: SegmentSpec): Segment {
      if (spec.key !== key)
        throw validationFailed([{ path: 'spec.key', message: "a segment's key cannot change" }]);
      checkRule(spec, 'spec.');
      return write<Segment>(actor, 'segment.update', key, (scope) => {
        const before = existing(key);
        if (before.version !== version) throw versionConflict(before);
        const after = stamp(spec, actor, before);
        store.putSegment(after);
        scope.publish({ type: 'resource', resource: 'segments', id: key, change: 'updated' });
        return { before, after, result: after };
      });
    },
    remove(actor: Actor, key: string, version: number): void {
      write<void>(actor, 'segment.delete', key, (scope) => {
        const before = existing(key);
        if (before.version !== version) throw versionConflict(before);
        const usedBy = flags.usersOf(key);
        if (usedBy.length > 0) {
          throw new HttpError(
            409,
            FLAG_ERROR_CODES.inUse,
            `flags still use this segment: ${usedBy.join(', ')}`,
            { flags: usedBy },
          );
        }
        store.deleteSegment(key);
        scope.publish({ type: 'resource', resource: 'segments', id: key, change: 'deleted' });
        return { before, after: null, result: undefined };
      });
    },
    stamp,
  };
}
export type SegmentService = ReturnType<typeof segmentService>;
