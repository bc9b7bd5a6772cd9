import type { Environment } from '../environments';
import type { Condition } from './conditions';
import type { FlagSpec, Rule, Serve } from './flag';
import type { SegmentSpec } from './segments';
import {
  FLAGD_SCHEMA_URL,
  type FlagdDocument,
  type FlagdFlag,
  type FlagdMetadata,
  type JsonLogic,
} from './flagd-document';

const variable = (attribute: string): JsonLogic => ({ var: attribute });

function conditionToLogic(condition: Condition): JsonLogic {
  switch (condition.operator) {
    case 'ends_with':
      return { ends_with: [variable(condition.attribute), condition.value] };
    case 'starts_with':
      return { starts_with: [variable(condition.attribute), condition.value] };
    case 'equals':
      return { '===': [variable(condition.attribute), condition.value] };
    case 'not_equals':
      return { '!==': [variable(condition.attribute), condition.value] };
    case 'in':
      return { in: [variable(condition.attribute), condition.values] };
    case 'not_in':
      return { '!': { in: [variable(condition.attribute), condition.values] } };
    case 'semver':
      return { sem_ver: [variable(condition.attribute), condition.comparator, condition.value] };
    case 'segment':
      return { $ref: condition.segment };
  }
}

/** All conditions must hold: one condition stands alone, several go under `and`. */
export function conditionsToLogic(conditions: readonly Condition[]): JsonLogic {
  if (conditions.length === 0) return true;
  const parts = conditions.map(conditionToLogic);
  return parts.length === 1 ? (parts[0] as JsonLogic) : { and: parts };
}

function serveToLogic(serve: Serve): JsonLogic {
  if (serve.kind === 'variant') return serve.variant;
  return { fractional: serve.split.map((entry) => [entry.variant, entry.weight]) };
}

/**
 * Ordered rules as one `if` chain: `{"if": [cond1, serve1, cond2, serve2, …, else]}`. A last
 * rule without conditions is the else branch; without one the chain ends in null, which
 * flagd answers with the default variant (reason DEFAULT). No rules: no targeting (STATIC).
 */
export function rulesToTargeting(rules: readonly Rule[]): JsonLogic | undefined {
  if (rules.length === 0) return undefined;
  const last = rules[rules.length - 1] as Rule;
  const catchAll = last.conditions.length === 0;
  const conditional = catchAll ? rules.slice(0, -1) : rules;
  if (conditional.length === 0) {
    return last.serve.kind === 'rollout'
      ? serveToLogic(last.serve)
      : { if: [true, serveToLogic(last.serve)] };
  }
  const args: JsonLogic[] = conditional.flatMap((rule) => [
    conditionsToLogic(rule.conditions),
    serveToLogic(rule.serve),
  ]);
  if (catchAll) args.push(serveToLogic(last.serve));
  return { if: args };
}

interface ToFlagdOptions {
  /** full: everything the editor needs to read it back; evaluation: only what applications see. */
  metadata: 'full' | 'evaluation';
  /** The flag set's own metadata (kept from an import), written at the top of the document. */
  flagSetMetadata?: FlagdMetadata;
}

/** Metadata keys the export writes for Faultline itself; every other key is the flag's own. */
export const FAULTLINE_METADATA_KEYS = [
  'version',
  'description',
  'services',
  'offVariant',
  'fallbackValue',
  'ruleNames',
] as const;

export function flagToFlagd(
  flag: FlagSpec & { version?: number },
  environment: Environment,
  options: ToFlagdOptions = { metadata: 'full' },
): FlagdFlag {
  const targeting = flag.environments[environment];
  const flagd: FlagdFlag = {
    state: targeting.state === 'on' ? 'ENABLED' : 'DISABLED',
    defaultVariant: flag.defaultVariant,
    variants: flag.variants,
  };
  const logic = targeting.logic ?? rulesToTargeting(targeting.rules);
  if (logic !== undefined) flagd.targeting = logic;
  const metadata: FlagdMetadata = {};
  if (flag.version !== undefined) metadata.version = flag.version;
  if (options.metadata === 'full') {
    if (flag.description) metadata.description = flag.description;
    if (flag.services.length > 0) metadata.services = flag.services.join(',');
    metadata.offVariant = flag.offVariant;
    metadata.fallbackValue = JSON.stringify(flag.fallbackValue);
    // JsonLogic has no place for a rule's name: the names ride along, in rule order.
    if (targeting.rules.some((rule) => rule.name !== ''))
      metadata.ruleNames = JSON.stringify(targeting.rules.map((rule) => rule.name));
  }
  // The flag's own metadata wins where a key is both: it is what its authors wrote.
  Object.assign(metadata, flag.metadata);
  if (Object.keys(metadata).length > 0) flagd.metadata = metadata;
  return flagd;
}

export function segmentToLogic(segment: Pick<SegmentSpec, 'conditions' | 'logic'>): JsonLogic {
  return segment.logic ?? conditionsToLogic(segment.conditions);
}

/** One environment's flags and segments as a flagd document; segments become `$evaluators`. */
export function toFlagdDocument(
  flags: readonly (FlagSpec & { version?: number })[],
  segments: readonly SegmentSpec[],
  environment: Environment,
  options: ToFlagdOptions = { metadata: 'full' },
): FlagdDocument {
  const document: FlagdDocument = {
    $schema: FLAGD_SCHEMA_URL,
    ...(options.flagSetMetadata && Object.keys(options.flagSetMetadata).length > 0
      ? { metadata: options.flagSetMetadata }
      : {}),
    flags: Object.fromEntries(
      flags.map((flag) => [flag.key, flagToFlagd(flag, environment, options)]),
    ),
  };
  if (segments.length > 0)
    document.$evaluators = Object.fromEntries(segments.map((s) => [s.key, segmentToLogic(s)]));
  return document;
}
