import { FlagdCore } from '@openfeature/flagd-core';
import type { Environment } from '../../src/domain';
import {
  flagTypeOf,
  offValueOf,
  toFlagdDocument,
  type EvaluationContext,
  type Flag,
  type FlagValue,
  type Segment,
} from '../../src/domain/flags';

const silentLogger = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} };

/** What evaluating one flag for one context gives, in OFREP's terms. */
export type Evaluation =
  | {
      ok: true;
      key: string;
      /** Absent when the application's own default applies (a flag without a default variant). */
      value?: FlagValue;
      reason: string;
      variant?: string;
      metadata?: Record<string, string | number | boolean>;
    }
  | {
      ok: false;
      key: string;
      errorCode: 'FLAG_NOT_FOUND' | 'TARGETING_KEY_MISSING' | 'PARSE_ERROR' | 'GENERAL';
      errorDetails: string;
    };

interface Snapshot {
  core: FlagdCore;
  flags: Map<string, Flag>;
  segments: Record<string, Segment>;
}

const DEFAULTS = { boolean: false, string: '', number: 0, object: {} } as const;

/**
 * Evaluates flags per environment with @openfeature/flagd-core over the flagd document built
 * from the store. The document is rebuilt lazily after `invalidate()` (any flag or segment write).
 */
export function createEvaluator(load: () => { flags: Flag[]; segments: Segment[] }) {
  const snapshots = new Map<Environment, Snapshot>();

  function snapshot(environment: Environment): Snapshot {
    const cached = snapshots.get(environment);
    if (cached) return cached;
    const { flags, segments } = load();
    const core = new FlagdCore(undefined, silentLogger);
    core.setConfigurations(
      JSON.stringify(toFlagdDocument(flags, segments, environment, { metadata: 'evaluation' })),
    );
    const built: Snapshot = {
      core,
      flags: new Map(flags.map((flag) => [flag.key, flag])),
      segments: Object.fromEntries(segments.map((segment) => [segment.key, segment])),
    };
    snapshots.set(environment, built);
    return built;
  }

  function evaluateIn(
    state: Snapshot,
    environment: Environment,
    flag: Flag,
    context: EvaluationContext,
  ): Evaluation {
    const key = flag.key;
    if (flag.environments[environment].state === 'off') {
      // A disabled flag answers with its off variant's value: OFREP providers treat a success without a value as an error.
      return {
        ok: true,
        key,
        value: offValueOf(flag) as FlagValue,
        reason: 'DISABLED',
        variant: flag.offVariant,
        metadata: { version: flag.version },
      };
    }
    const type = flagTypeOf(flag) ?? 'boolean';
    const resolution = state.core.resolve(type, key, DEFAULTS[type], context as never);
    if (resolution.errorCode) {
      const errorCode = resolution.errorCode === 'PARSE_ERROR' ? 'PARSE_ERROR' : 'GENERAL';
      return {
        ok: false,
        key,
        errorCode,
        errorDetails: resolution.errorMessage ?? 'evaluation failed',
      };
    }
    const result: Evaluation = { ok: true, key, reason: resolution.reason ?? 'UNKNOWN' };
    // No variant and no default variant: the application's own default, which only it knows.
    if (resolution.variant !== undefined || flag.defaultVariant !== null)
      result.value = resolution.value as FlagValue;
    if (resolution.variant !== undefined) result.variant = resolution.variant;
    if (Object.keys(resolution.flagMetadata).length > 0) result.metadata = resolution.flagMetadata;
    return result;
  }

  return {
    invalidate(): void {
      snapshots.clear();
    },
    evaluate(environment: Environment, key: string, context: EvaluationContext): Evaluation {
      const state = snapshot(environment);
      const flag = state.flags.get(key);
      if (!flag)
        return {
          ok: false,
          key,
          errorCode: 'FLAG_NOT_FOUND',
          errorDetails: `flag "${key}" not found`,
        };
      return evaluateIn(state, environment, flag, context);
    },
    evaluateAll(environment: Environment, context: EvaluationContext): Evaluation[] {
      const state = snapshot(environment);
      return [...state.flags.values()].map((flag) => evaluateIn(state, environment, flag, context));
    },
  };
}
export type Evaluator = ReturnType<typeof createEvaluator>;
