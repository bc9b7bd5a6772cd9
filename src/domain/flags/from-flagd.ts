import type { FieldIssue } from '../validation';
import type { Condition } from './conditions';
import type { EnvironmentTargeting, Rule, Serve } from './flag';
import {
  parseFlagdDocument,
  type FlagdFlag,
  type FlagdMetadata,
  type JsonLogic,
} from './flagd-document';
import { SEMVER_COMPARATORS, type SemVerComparator } from './semver';
import { conditionsToLogic, rulesToTargeting } from './to-flagd';
import type { FlagValue } from './values';

/** One flag read from a flagd document: the shared fields and one environment's targeting. */
interface ImportedFlag {
  key: string;
  description?: string;
  services?: string[];
  variants: Record<string, FlagValue>;
  defaultVariant: string | null;
  offVariant: string;
  fallbackValue: FlagValue;
  targeting: EnvironmentTargeting;
  /** The flag's own metadata: every key but those Faultline's export writes for itself. */
  metadata: FlagdMetadata;
}

interface ImportedSegment {
  key: string;
  conditions: Condition[];
  logic?: JsonLogic;
}

interface FlagdImport {
  flags: ImportedFlag[];
  segments: ImportedSegment[];
  flagSetMetadata: FlagdMetadata;
}

type ImportResult = { ok: true; value: FlagdImport } | { ok: false; issues: FieldIssue[] };

class ReadError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

type Path = (string | number)[];
const join = (path: Path) => path.map(String).join('.');
const fail = (path: Path, message: string): never => {
  throw new ReadError(join(path), message);
};

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The single operator of a JsonLogic node and its arguments. */
function operation(logic: unknown, path: Path): [string, unknown] {
  if (!isObject(logic)) return fail(path, 'expected a JsonLogic operation');
  const keys = Object.keys(logic);
  if (keys.length !== 1) return fail(path, 'a JsonLogic operation has exactly one operator');
  const op = keys[0] as string;
  return [op, logic[op]];
}

function attributeOf(arg: unknown, path: Path): string {
  if (!isObject(arg)) return fail(path, 'expected a context attribute: {"var": "email"}');
  const [op, name] = operation(arg, path);
  const attribute = Array.isArray(name) && name.length === 1 ? name[0] : name;
  if (op !== 'var' || typeof attribute !== 'string')
    return fail(path, 'expected a context attribute: {"var": "email"}');
  return attribute;
}

function scalarOf(value: unknown, path: Path): string | number | boolean {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return value;
  return fail(path, 'expected text, a number or true/false');
}

function pair(args: unknown, path: Path, length = 2): unknown[] {
  if (!Array.isArray(args) || args.length !== length)
    return fail(path, `expected ${length} arguments`);
  return args;
}

function readInList(
  args: unknown,
  path: Path,
): { attribute: string; values: (string | number | boolean)[] } {
  const [subject, list] = pair(args, path);
  if (!Array.isArray(list)) {
    return fail(
      [...path, 1],
      '"in" with text tests for a substring; the editor reads "in" with a list of values only',
    );
  }
  return {
    attribute: attributeOf(subject, [...path, 0]),
    values: list.map((v, i) => scalarOf(v, [...path, 1, i])),
  };
}

function readCondition(logic: unknown, path: Path): Condition {
  const [op, args] = operation(logic, path);
  const at = [...path, op];
  switch (op) {
    case '$ref':
      if (typeof args !== 'string') return fail(at, 'a $ref names an evaluator');
      return { operator: 'segment', segment: args };
    case 'ends_with':
    case 'starts_with': {
      const [subject, value] = pair(args, at);
      if (typeof value !== 'string') return fail([...at, 1], 'expected text');
      return { operator: op, attribute: attributeOf(subject, [...at, 0]), value };
    }
    case '===':
    case '==':
    case '!==':
    case '!=': {
      const [subject, value] = pair(args, at);
      const operator = op.startsWith('!') ? 'not_equals' : 'equals';
      return {
        operator,
        attribute: attributeOf(subject, [...at, 0]),
        value: scalarOf(value, [...at, 1]),
      };
    }
    case 'in':
      return { operator: 'in', ...readInList(args, at) };
    case '!': {
      const inner = Array.isArray(args) && args.length === 1 ? args[0] : args;
      const [innerOp, innerArgs] = operation(inner, at);
      if (innerOp !== 'in') return fail(at, 'the editor reads "!" only around "in" (is none of)');
      return { operator: 'not_in', ...readInList(innerArgs, [...at, 'in']) };
    }
    case 'sem_ver': {
      const [subject, comparator, value] = pair(args, at, 3);
      if (!(SEMVER_COMPARATORS as readonly unknown[]).includes(comparator)) {
        return fail([...at, 1], `expected one of ${SEMVER_COMPARATORS.join(' ')}`);
      }
      if (typeof value !== 'string') return fail([...at, 2], 'expected a version');
      return {
        operator: 'semver',
        attribute: attributeOf(subject, [...at, 0]),
        comparator: comparator as SemVerComparator,
        value,
      };
    }
    default:
      return fail(
        at,
        `the editor cannot express "${op}": use ends_with, starts_with, ===, !==, in, sem_ver, $ref or and`,
      );
  }
}

function readConditions(logic: unknown, path: Path): Condition[] {
  if (logic === true) return [];
  if (isObject(logic) && 'and' in logic && Object.keys(logic).length === 1) {
    const parts = logic.and;
    if (!Array.isArray(parts) || parts.length === 0)
      return fail([...path, 'and'], '"and" needs a list of conditions');
    return parts.map((part, i) => readCondition(part, [...path, 'and', i]));
  }
  return [readCondition(logic, path)];
}

function readServe(logic: unknown, path: Path): Serve {
  if (typeof logic === 'string') return { kind: 'variant', variant: logic };
  const [op, args] = operation(logic, path);
  if (op !== 'fractional')
    return fail(path, 'a rule serves a variant name or a fractional rollout');
  if (!Array.isArray(args) || args.length === 0)
    return fail([...path, op], 'a rollout lists [variant, weight] pairs');
  if (!Array.isArray(args[0]))
    return fail(
      [...path, op, 0],
      'the editor buckets by the targeting key only: remove the custom bucketing expression',
    );
  const split = args.map((entry, i) => {
    if (
      !Array.isArray(entry) ||
      entry.length < 1 ||
      entry.length > 2 ||
      typeof entry[0] !== 'string'
    ) {
      return fail([...path, op, i], 'expected ["variant", weight]');
    }
    const weight = entry.length === 2 ? entry[1] : 1;
    if (typeof weight !== 'number' || !Number.isInteger(weight))
      return fail([...path, op, i, 1], 'a weight is a whole number');
    return { variant: entry[0] as string, weight: Math.max(0, weight) };
  });
  return { kind: 'rollout', split };
}

/** Reads an `if` chain (nested ifs in the else branch included) back into ordered rules. */
function readTargeting(logic: unknown, path: Path): Rule[] {
  if (logic === undefined || logic === null || (isObject(logic) && Object.keys(logic).length === 0))
    return [];
  if (typeof logic === 'string')
    return [{ name: '', conditions: [], serve: readServe(logic, path) }];
  const [op, args] = operation(logic, path);
  if (op === 'fractional') return [{ name: '', conditions: [], serve: readServe(logic, path) }];
  if (op !== 'if')
    return fail(path, 'the editor reads targeting as an "if" chain or a "fractional" rollout');
  if (!Array.isArray(args) || args.length < 2)
    return fail([...path, 'if'], '"if" needs a condition and a result');
  const rules: Rule[] = [];
  const pairs = Math.floor(args.length / 2);
  for (let i = 0; i < pairs; i++) {
    rules.push({
      name: '',
      conditions: readConditions(args[2 * i], [...path, 'if', 2 * i]),
      serve: readServe(args[2 * i + 1], [...path, 'if', 2 * i + 1]),
    });
  }
  if (args.length % 2 === 1) {
    const otherwise = args[args.length - 1];
    const at = [...path, 'if', args.length - 1];
    if (isObject(otherwise) && 'if' in otherwise) rules.push(...readTargeting(otherwise, at));
    else if (otherwise !== null)
      rules.push({ name: '', conditions: [], serve: readServe(otherwise, at) });
  }
  return rules;
}

/** Structural equality of two JSON values (key order aside). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  return (
    keysA.length === keysB.length &&
    keysA.every(
      (key) =>
        Object.hasOwn(b, key) &&
        sameJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
    )
  );
}

/**
 * A flag's targeting as rules when the rules write it back exactly as it came (so flagd answers
 * the same), otherwise kept whole as a JSON rule: never refused, never silently changed.
 */
function targetingOf(
  logic: JsonLogic | undefined,
  path: Path,
): Pick<EnvironmentTargeting, 'rules' | 'logic'> {
  if (logic === undefined) return { rules: [] };
  try {
    const rules = readTargeting(logic, path);
    if (sameJson(rulesToTargeting(rules), logic)) return { rules };
  } catch (error) {
    if (!(error instanceof ReadError)) throw error;
  }
  return { rules: [], logic };
}

/** An evaluator as conditions when they write it back exactly, otherwise as a JSON rule. */
function segmentOf(key: string, logic: JsonLogic): ImportedSegment {
  try {
    const conditions = readConditions(logic, ['$evaluators', key]);
    if (conditions.length > 0 && sameJson(conditionsToLogic(conditions), logic))
      return { key, conditions };
  } catch (error) {
    if (!(error instanceof ReadError)) throw error;
  }
  return { key, conditions: [], logic };
}

/** The rule names our export keeps in metadata (JSON text: a list of strings, in rule order). */
function ruleNamesOf(raw: unknown): string[] | null {
  if (typeof raw !== 'string') return null;
  try {
    const names: unknown = JSON.parse(raw);
    return Array.isArray(names) && names.every((name) => typeof name === 'string') ? names : null;
  } catch {
    return null;
  }
}

function fallbackOf(raw: unknown): { value: FlagValue } | null {
  if (typeof raw !== 'string') return null;
  try {
    return { value: JSON.parse(raw) as FlagValue };
  } catch {
    return null;
  }
}

function readFlag(key: string, flag: FlagdFlag): ImportedFlag {
  const { variants } = flag;
  const defaultVariant = flag.defaultVariant ?? null;
  const own: FlagdMetadata = { ...flag.metadata };
  const take = (name: string) => {
    const value = own[name];
    delete own[name];
    return value;
  };
  // Faultline's full export always writes offVariant; only then is `version` its own record's.
  const fromFaultline = typeof own.offVariant === 'string' && own.offVariant in variants;
  const falseVariant = Object.entries(variants).find(([, v]) => v === false)?.[0];
  const offVariant = fromFaultline
    ? (take('offVariant') as string)
    : (falseVariant ?? defaultVariant ?? (Object.keys(variants)[0] as string));
  if (fromFaultline) take('version');
  const fallback = fallbackOf(own.fallbackValue);
  if (fallback) take('fallbackValue');
  const names = ruleNamesOf(own.ruleNames);
  if (names) take('ruleNames');
  const { rules, logic } = targetingOf(flag.targeting, ['flags', key, 'targeting']);
  // Names written for other rules (the targeting was edited by hand since) are not guessed at.
  const named =
    names && names.length === rules.length
      ? rules.map((rule, i) => ({ ...rule, name: names[i] ?? '' }))
      : rules;
  const targeting: EnvironmentTargeting = {
    state: flag.state === 'ENABLED' ? 'on' : 'off',
    rules: named,
  };
  if (logic !== undefined) targeting.logic = logic;
  const imported: ImportedFlag = {
    key,
    variants,
    defaultVariant,
    offVariant,
    fallbackValue: fallback ? fallback.value : (variants[offVariant] as FlagValue),
    targeting,
    metadata: own,
  };
  if (typeof own.description === 'string') imported.description = take('description') as string;
  if (typeof own.services === 'string')
    imported.services = (take('services') as string).split(',').filter(Boolean);
  return imported;
}

/**
 * Reads a flagd flag-definition document (flags by key or as a list) into flags and segments.
 * Whatever flagd accepts comes in: targeting the rules can draw becomes rules, the rest is kept
 * as a JSON rule. Issues name the place in the document.
 */
export function fromFlagdDocument(input: unknown): ImportResult {
  const parsed = parseFlagdDocument(input);
  if (!parsed.ok) return parsed;
  const { document } = parsed;
  const segments = Object.entries(document.$evaluators ?? {}).map(([key, logic]) =>
    segmentOf(key, logic),
  );
  const flags = Object.entries(document.flags).map(([key, flag]) => readFlag(key, flag));
  return { ok: true, value: { flags, segments, flagSetMetadata: document.metadata ?? {} } };
}
