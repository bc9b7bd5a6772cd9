import type { FieldIssue } from '../validation';
import type { Condition } from './conditions';
import type { EnvironmentTargeting, Rule, Serve } from './flag';
import { SEMVER_COMPARATORS, type SemVerComparator } from './semver';
import type { FlagValue, JsonValue } from './values';

/** One flag read from a flagd document: the shared fields and one environment's targeting. */
export interface ImportedFlag {
  key: string;
  description?: string;
  services?: string[];
  variants: Record<string, FlagValue>;
  defaultVariant: string;
  offVariant: string;
  fallbackValue: FlagValue;
  targeting: EnvironmentTargeting;
}

export interface ImportedSegment {
  key: string;
  conditions: Condition[];
}

export interface FlagdImport {
  flags: ImportedFlag[];
  segments: ImportedSegment[];
}

export type ImportResult = { ok: true; value: FlagdImport } | { ok: false; issues: FieldIssue[] };

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
export function readTargeting(logic: unknown, path: Path): Rule[] {
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

function readVariants(value: unknown, path: Path): Record<string, FlagValue> {
  if (!isObject(value) || Object.keys(value).length === 0)
    return fail(path, 'a flag needs variants');
  return value as Record<string, FlagValue>;
}

/** The rule names our export keeps in metadata (JSON text: a list of strings, in rule order). */
function readRuleNames(raw: unknown, path: string[]): string[] | null {
  if (raw === undefined) return null;
  let names: unknown = null;
  try {
    names = typeof raw === 'string' ? JSON.parse(raw) : null;
  } catch {
    // refused below
  }
  if (!Array.isArray(names) || !names.every((name) => typeof name === 'string')) {
    return fail(path, 'rule names are JSON text: a list of strings, one per rule');
  }
  return names as string[];
}

function readFlag(key: string, raw: unknown): ImportedFlag {
  const path = ['flags', key];
  if (!isObject(raw)) return fail(path, 'expected a flag object');
  const variants = readVariants(raw.variants, [...path, 'variants']);
  const defaultVariant = raw.defaultVariant;
  if (typeof defaultVariant !== 'string' || defaultVariant === '') {
    return fail([...path, 'defaultVariant'], 'a flag needs a default variant');
  }
  // Required, as in flagd's schema: a flag without a state is refused, never stored on.
  const state = raw.state;
  if (state !== 'ENABLED' && state !== 'DISABLED')
    return fail([...path, 'state'], 'a flag needs a state: ENABLED or DISABLED');
  const metadata = isObject(raw.metadata) ? raw.metadata : {};
  const falseVariant = Object.entries(variants).find(([, v]) => v === false)?.[0];
  const offVariant =
    typeof metadata.offVariant === 'string'
      ? metadata.offVariant
      : (falseVariant ?? defaultVariant);
  let fallbackValue = variants[offVariant] as FlagValue;
  if (typeof metadata.fallbackValue === 'string') {
    try {
      fallbackValue = JSON.parse(metadata.fallbackValue) as FlagValue;
    } catch {
      return fail([...path, 'metadata', 'fallbackValue'], 'the fallback value is JSON text');
    }
  }
  const rules = readTargeting(raw.targeting, [...path, 'targeting']);
  const names = readRuleNames(metadata.ruleNames, [...path, 'metadata', 'ruleNames']);
  // Names written for other rules (the targeting was edited by hand since) are not guessed at.
  const named =
    names && names.length === rules.length
      ? rules.map((rule, i) => ({ ...rule, name: names[i] ?? '' }))
      : rules;
  const imported: ImportedFlag = {
    key,
    variants,
    defaultVariant,
    offVariant,
    fallbackValue,
    targeting: { state: state === 'ENABLED' ? 'on' : 'off', rules: named },
  };
  if (typeof metadata.description === 'string') imported.description = metadata.description;
  if (typeof metadata.services === 'string')
    imported.services = metadata.services.split(',').filter(Boolean);
  return imported;
}

/**
 * Reads a flagd flag-definition document into flags and segments. Refuses (with the path of the
 * first part at fault) whatever the forms cannot express, so that what is stored is what the
 * editor shows and what flagd evaluates.
 */
export function fromFlagdDocument(document: unknown): ImportResult {
  try {
    if (!isObject(document)) fail([], 'a flagd document is a JSON object');
    const doc = document as Record<string, unknown>;
    if (!isObject(doc.flags)) fail(['flags'], 'a flagd document has a "flags" object');
    const evaluators = doc.$evaluators ?? {};
    if (!isObject(evaluators)) fail(['$evaluators'], '"$evaluators" is an object');
    const segments = Object.entries(evaluators as Record<string, JsonValue>).map(
      ([key, logic]) => ({
        key,
        conditions: readConditions(logic, ['$evaluators', key]),
      }),
    );
    const flags = Object.entries(doc.flags as Record<string, unknown>).map(([key, raw]) =>
      readFlag(key, raw),
    );
    return { ok: true, value: { flags, segments } };
  } catch (error) {
    if (error instanceof ReadError)
      return { ok: false, issues: [{ path: error.path, message: error.message }] };
    throw error;
  }
}
