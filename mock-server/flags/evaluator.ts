import { FlagdCore } from '@openfeature/flagd-core';
import type { Environment } from '../../src/domain';
import {
  flagTypeOf,
  offValueOf,
  toFlagdDocument,
  type EvaluationContext,
  type Flag,
  type FlagdMetadata,
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
      /** flagd-core's reason (OFREP answers it in its own list: see `ofrepReasonOf`). */
      reason: string;
      /** Whether the flag has rules in this environment (its answer may depend on the context). */
      hasRules: boolean;
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
  /** Keys of the flags with targeting in this environment. */
  ruled: Set<string>;
  flagSetMetadata: FlagdMetadata;
}

interface Loaded {
  flags: Flag[];
  segments: Segment[];
  /** An environment's flag-set metadata: every evaluation carries it, under the flag's own. */
  flagSetMetadata?: (environment: Environment) => FlagdMetadata;
}

/** flagd treats absent, null and `{}` targeting alike: no rules. */
const hasTargeting = (targeting: unknown): boolean =>
  targeting !== undefined &&
  targeting !== null &&
  !(typeof targeting === 'object' && Object.keys(targeting).length === 0);

const DEFAULTS = { boolean: false, string: '', number: 0, object: {} } as const;

/**
 * Evaluates flags per environment with @openfeature/flagd-core over the flagd document built
 * from the store. The document is rebuilt lazily after `invalidate()` (any flag or segment write).
 */
export function createEvaluator(load: () => Loaded) {
  const snapshots = new Map<Environment, Snapshot>();

  function snapshot(environment: Environment): Snapshot {
    const cached = snapshots.get(environment);
    if (cached) return cached;
    const loaded = load();
    const { flags, segments } = loaded;
    const flagSetMetadata = loaded.flagSetMetadata?.(environment) ?? {};
    const document = toFlagdDocument(flags, segments, environment, {
      metadata: 'evaluation',
      flagSetMetadata,
    });
    const core = new FlagdCore(undefined, silentLogger);
    core.setConfigurations(JSON.stringify(document));
    const built: Snapshot = {
      core,
      flags: new Map(flags.map((flag) => [flag.key, flag])),
      segments: Object.fromEntries(segments.map((segment) => [segment.key, segment])),
      ruled: new Set(
        Object.entries(document.flags)
          .filter(([, flagd]) => hasTargeting(flagd.targeting))
          .map(([key]) => key),
      ),
      flagSetMetadata,
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
    const hasRules = state.ruled.has(key);
    if (flag.environments[environment].state === 'off') {
      // A disabled flag answers with its off variant's value: OFREP providers treat a success without a value as an error.
      return {
        ok: true,
        key,
        value: offValueOf(flag) as FlagValue,
        reason: 'DISABLED',
        hasRules,
        variant: flag.offVariant,
        metadata: { ...state.core.getFlag(key)?.metadata, version: flag.version },
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
    const result: Evaluation = { ok: true, key, reason: resolution.reason ?? 'UNKNOWN', hasRules };
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
    /** An environment's flag-set metadata (from its last flagd import). */
    flagSetMetadata(environment: Environment): FlagdMetadata {
      return snapshot(environment).flagSetMetadata;
    },
  };
}
export type Evaluator = ReturnType<typeof createEvaluator>;
