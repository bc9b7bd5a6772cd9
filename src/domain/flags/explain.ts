import type { Environment } from '../environments';
import { describeCondition, type Condition } from './conditions';
import type { FlagSpec, Rule, Serve } from './flag';
import { bucketOf, murmurHash3 } from './murmur';
import type { SegmentSpec } from './segments';
import { semVerMatches } from './semver';
import type { FlagValue, JsonValue } from './values';

/** The attributes an application sends with an evaluation; `targetingKey` identifies the user. */
export type EvaluationContext = Record<string, JsonValue | undefined>;

/** The OpenFeature reasons an evaluation of our flags can give. */
type EvaluationReason = 'DISABLED' | 'STATIC' | 'TARGETING_MATCH' | 'DEFAULT';

interface ConditionOutcome {
  condition: Condition;
  description: string;
  holds: boolean;
  /** For a segment: how each of its conditions fared. */
  segment?: ConditionOutcome[];
}

interface RuleOutcome {
  index: number;
  name: string;
  /** null: not reached, an earlier rule decided. */
  matched: boolean | null;
  conditions: ConditionOutcome[];
}

interface RolloutOutcome {
  /** The bucket, 0 ≤ bucket < totalWeight; null when there was no targeting key to hash. */
  bucket: number | null;
  totalWeight: number;
}

interface Explanation {
  /** null: no variant (no default variant, or a JSON rule the preview cannot follow). */
  variant: string | null;
  value: FlagValue | undefined;
  reason: EvaluationReason;
  /** Index of the rule that decided, or null (flag off, no rule, no rule matched). */
  matchedRule: number | null;
  rules: RuleOutcome[];
  /** Set when the deciding rule serves a rollout. */
  rollout?: RolloutOutcome;
  /** A rollout was reached but the context has no targeting key to bucket by. */
  missingTargetingKey: boolean;
  /** The targeting is a JSON rule: flagd evaluates it; the preview cannot follow its steps. */
  jsonRule?: boolean;
  /** One sentence for the preview. */
  summary: string;
}

/** How the default reads in a sentence: the variant, or the application's own default. */
function defaultLabel(defaultVariant: string | null): string {
  return defaultVariant === null
    ? "the application's own default (the flag has no default variant)"
    : `the default "${defaultVariant}"`;
}

/** JsonLogic's `var`: a dotted path into the context, null when any step is missing. */
function readAttribute(context: EvaluationContext, attribute: string): unknown {
  let current: unknown = context;
  for (const part of attribute.split('.')) {
    if (current === null || current === undefined) return null;
    current = (current as Record<string, unknown>)[part];
    if (current === undefined) return null;
  }
  return current;
}

function conditionHolds(
  condition: Exclude<Condition, { operator: 'segment' }>,
  context: EvaluationContext,
): boolean {
  const actual = readAttribute(context, condition.attribute);
  switch (condition.operator) {
    case 'ends_with':
      return typeof actual === 'string' && actual.endsWith(condition.value);
    case 'starts_with':
      return typeof actual === 'string' && actual.startsWith(condition.value);
    case 'equals':
      return actual === condition.value;
    case 'not_equals':
      return actual !== condition.value;
    case 'in':
      return (condition.values as unknown[]).includes(actual);
    case 'not_in':
      return !(condition.values as unknown[]).includes(actual);
    case 'semver':
      return semVerMatches(actual, condition.comparator, condition.value) === true;
  }
}

function outcomeOf(
  condition: Condition,
  context: EvaluationContext,
  segments: Readonly<Record<string, SegmentSpec>>,
  names: Record<string, string>,
): ConditionOutcome {
  const description = describeCondition(condition, names);
  if (condition.operator !== 'segment')
    return { condition, description, holds: conditionHolds(condition, context) };
  const segment = segments[condition.segment];
  if (!segment)
    return {
      condition,
      description: `${description} (unknown segment)`,
      holds: false,
      segment: [],
    };
  const inner = allUntilFirstFailure(segment.conditions, context, segments, names);
  return { condition, description, holds: inner.every((o) => o.holds), segment: inner };
}

/** JsonLogic's `and` stops at the first false condition; the ones after it are not evaluated. */
function allUntilFirstFailure(
  conditions: readonly Condition[],
  context: EvaluationContext,
  segments: Readonly<Record<string, SegmentSpec>>,
  names: Record<string, string>,
): ConditionOutcome[] {
  const outcomes: ConditionOutcome[] = [];
  for (const condition of conditions) {
    const outcome = outcomeOf(condition, context, segments, names);
    outcomes.push(outcome);
    if (!outcome.holds) break;
  }
  return outcomes;
}

/** flagd's `fractional` with the default bucketing key: flag key + targeting key. */
function rolloutVariant(
  flagKey: string,
  split: Extract<Serve, { kind: 'rollout' }>['split'],
  targetingKey: unknown,
): { variant: string | null; rollout: RolloutOutcome } {
  const totalWeight = split.reduce((sum, entry) => sum + entry.weight, 0);
  if (!targetingKey) return { variant: null, rollout: { bucket: null, totalWeight } };
  const bucket = bucketOf(murmurHash3(`${flagKey}${String(targetingKey)}`), totalWeight);
  let sum = 0;
  for (const entry of split) {
    sum += entry.weight;
    if (sum > bucket) return { variant: entry.variant, rollout: { bucket, totalWeight } };
  }
  return { variant: null, rollout: { bucket, totalWeight } };
}

function ruleLabel(rule: Rule, index: number): string {
  return rule.name ? `rule ${index + 1} "${rule.name}"` : `rule ${index + 1}`;
}

/**
 * Evaluates a flag in one environment for one context and says why, the way flagd-core does:
 * off → DISABLED with the off variant; no rules → STATIC with the default variant; the first
 * rule whose conditions all hold → TARGETING_MATCH; no rule matched, or a rollout without a
 * targeting key → DEFAULT with the default variant.
 */
export function explainEvaluation(
  flag: Pick<FlagSpec, 'key' | 'variants' | 'defaultVariant' | 'offVariant' | 'environments'>,
  environment: Environment,
  context: EvaluationContext,
  segments: Readonly<Record<string, SegmentSpec>> = {},
): Explanation {
  const targeting = flag.environments[environment];
  const names = Object.fromEntries(Object.entries(segments).map(([key, s]) => [key, s.name]));
  const result = (
    variant: string | null,
    reason: EvaluationReason,
    summary: string,
    extra: Partial<
      Pick<Explanation, 'matchedRule' | 'rules' | 'rollout' | 'missingTargetingKey' | 'jsonRule'>
    > = {},
  ): Explanation => ({
    variant,
    value: variant === null ? undefined : flag.variants[variant],
    reason,
    matchedRule: null,
    rules: [],
    missingTargetingKey: false,
    summary,
    ...extra,
  });

  if (targeting.state === 'off') {
    return result(
      flag.offVariant,
      'DISABLED',
      `The flag is off in ${environment}: everyone gets "${flag.offVariant}".`,
    );
  }
  if (targeting.logic !== undefined) {
    return result(
      null,
      'TARGETING_MATCH',
      `A JSON rule decides in ${environment}: flagd evaluates it as written; the preview cannot follow its steps.`,
      { jsonRule: true },
    );
  }
  if (targeting.rules.length === 0) {
    return result(
      flag.defaultVariant,
      flag.defaultVariant === null ? 'DEFAULT' : 'STATIC',
      `No rules in ${environment}: everyone gets ${defaultLabel(flag.defaultVariant)}.`,
    );
  }

  const rules: RuleOutcome[] = targeting.rules.map((rule, index) => ({
    index,
    name: rule.name,
    matched: null,
    conditions: [],
  }));
  for (const [index, rule] of targeting.rules.entries()) {
    const outcome = rules[index] as RuleOutcome;
    outcome.conditions = allUntilFirstFailure(rule.conditions, context, segments, names);
    outcome.matched = outcome.conditions.every((o) => o.holds);
    if (!outcome.matched) continue;
    const why =
      rule.conditions.length === 0
        ? 'applies to everyone'
        : `matched: ${outcome.conditions.map((o) => o.description).join(' and ')}`;
    if (rule.serve.kind === 'variant') {
      return result(rule.serve.variant, 'TARGETING_MATCH', `${ruleLabel(rule, index)} ${why}.`, {
        matchedRule: index,
        rules,
      });
    }
    const { variant, rollout } = rolloutVariant(flag.key, rule.serve.split, context.targetingKey);
    if (variant === null) {
      const missing = rollout.bucket === null;
      const cause = missing
        ? 'but there is no targeting key to bucket by'
        : 'but the rollout gives no share';
      return result(
        flag.defaultVariant,
        'DEFAULT',
        `${ruleLabel(rule, index)} ${why}, ${cause}: ${defaultLabel(flag.defaultVariant)}.`,
        {
          matchedRule: index,
          rules,
          rollout,
          missingTargetingKey: missing,
        },
      );
    }
    const share = `bucket ${rollout.bucket} of ${rollout.totalWeight}`;
    return result(
      variant,
      'TARGETING_MATCH',
      `${ruleLabel(rule, index)} ${why}; the rollout puts this key in ${share}: "${variant}".`,
      {
        matchedRule: index,
        rules,
        rollout,
      },
    );
  }
  return result(
    flag.defaultVariant,
    'DEFAULT',
    `No rule matched: ${defaultLabel(flag.defaultVariant)}.`,
    { rules },
  );
}
