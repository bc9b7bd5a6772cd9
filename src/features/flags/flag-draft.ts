import { ENVIRONMENTS, type Environment } from '@/domain/environments';
import {
  flagSpecSchema,
  flagTypeOf,
  type EnvironmentTargeting,
  type FlagSpec,
  type FlagSpecInput,
  type FlagType,
  type FlagValue,
} from '@/domain/flags';
import { fieldIssues, issuesByPath, type FieldIssue } from '@/domain/validation';

/** A variant as the form holds it: the value as typed. */
interface VariantDraft {
  name: string;
  text: string;
}

/** What the editor edits: the flag with its values as text, so half-typed input is kept. */
export interface FlagDraft {
  key: string;
  description: string;
  servicesText: string;
  type: FlagType;
  variants: VariantDraft[];
  /** null: no default variant, the application's own default is used (as flagd allows). */
  defaultVariant: string | null;
  offVariant: string;
  fallbackText: string;
  environments: Record<Environment, EnvironmentTargeting>;
}

export const DEFAULT_VARIANTS: Record<FlagType, VariantDraft[]> = {
  boolean: [
    { name: 'on', text: 'true' },
    { name: 'off', text: 'false' },
  ],
  string: [
    { name: 'control', text: 'control' },
    { name: 'treatment', text: 'treatment' },
  ],
  number: [
    { name: 'low', text: '1' },
    { name: 'high', text: '10' },
  ],
  object: [
    { name: 'control', text: '{}' },
    { name: 'treatment', text: '{"enabled": true}' },
  ],
};

function valueToText(value: FlagValue, type: FlagType): string {
  if (type === 'string') return String(value);
  if (type === 'object') return JSON.stringify(value);
  return String(value);
}

/** Reads typed text as a value of the flag's type, or says why it cannot. */
function textToValue(text: string, type: FlagType): { value: FlagValue } | { error: string } {
  const trimmed = text.trim();
  switch (type) {
    case 'string':
      return { value: text };
    case 'boolean':
      if (trimmed === 'true' || trimmed === 'false') return { value: trimmed === 'true' };
      return { error: 'true or false' };
    case 'number': {
      const value = Number(trimmed);
      return trimmed !== '' && Number.isFinite(value)
        ? { value }
        : { error: 'a number, like 3 or 2.5' };
    }
    case 'object':
      try {
        const value: unknown = JSON.parse(trimmed);
        if (value !== null && typeof value === 'object' && !Array.isArray(value))
          return { value: value as FlagValue };
        return { error: 'a JSON object, like {"color": "blue"}' };
      } catch {
        return { error: 'a JSON object, like {"color": "blue"}' };
      }
  }
}

export function newFlagDraft(): FlagDraft {
  const off = { state: 'off' as const, rules: [] };
  return {
    key: '',
    description: '',
    servicesText: '',
    type: 'boolean',
    variants: DEFAULT_VARIANTS.boolean,
    defaultVariant: 'off',
    offVariant: 'off',
    fallbackText: 'false',
    environments: { development: off, testing: off, staging: off, production: off },
  };
}

export function draftOf(flag: FlagSpec): FlagDraft {
  const type = flagTypeOf(flag) ?? 'boolean';
  return {
    key: flag.key,
    description: flag.description,
    servicesText: flag.services.join(', '),
    type,
    variants: Object.entries(flag.variants).map(([name, value]) => ({
      name,
      text: valueToText(value, type),
    })),
    defaultVariant: flag.defaultVariant,
    offVariant: flag.offVariant,
    fallbackText: valueToText(flag.fallbackValue, type),
    environments: flag.environments,
  };
}

/** Empty entries of a list being typed ("CO, ") are dropped only when the flag is read. */
function withoutEmptyListEntries(targeting: EnvironmentTargeting): EnvironmentTargeting {
  return {
    ...targeting,
    rules: targeting.rules.map((rule) => ({
      ...rule,
      conditions: rule.conditions.map((c) =>
        c.operator === 'in' || c.operator === 'not_in'
          ? { ...c, values: c.values.filter((v) => String(v).trim() !== '') }
          : c,
      ),
    })),
  };
}

const PLACEHOLDERS: Record<FlagType, FlagValue> = {
  boolean: false,
  string: '',
  number: 0,
  object: {},
};

interface ReadDraft {
  spec: FlagSpec | null;
  /** Field path → message, in the flag's own paths ("variants.on", "environments.production.rules.0.serve.variant"). */
  errors: Record<string, string>;
}

/** The flag the form describes, checked with the same schema the server uses. */
export function readDraft(draft: FlagDraft): ReadDraft {
  const issues: FieldIssue[] = [];
  const variants: Record<string, FlagValue> = {};
  draft.variants.forEach((variant, index) => {
    if (variant.name in variants)
      issues.push({
        path: `variantNames.${index}`,
        message: `"${variant.name}" is already a variant`,
      });
    const read = textToValue(variant.text, draft.type);
    if ('error' in read)
      issues.push({ path: `variants.${variant.name}`, message: `expected ${read.error}` });
    // An unreadable value still names a variant: the defaults and rules that use it stay valid.
    variants[variant.name] = 'value' in read ? read.value : PLACEHOLDERS[draft.type];
  });
  const fallback = textToValue(draft.fallbackText, draft.type);
  if ('error' in fallback)
    issues.push({ path: 'fallbackValue', message: `expected ${fallback.error}` });
  const input: FlagSpecInput = {
    key: draft.key.trim(),
    description: draft.description,
    services: draft.servicesText
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    variants,
    defaultVariant: draft.defaultVariant,
    offVariant: draft.offVariant,
    fallbackValue: 'value' in fallback ? fallback.value : PLACEHOLDERS[draft.type],
    environments: Object.fromEntries(
      ENVIRONMENTS.map((env) => [env, withoutEmptyListEntries(draft.environments[env])]),
    ) as FlagSpecInput['environments'],
  };
  const parsed = flagSpecSchema.safeParse(input);
  if (!parsed.success) issues.push(...fieldIssues(parsed.error));
  const errors = issuesByPath(issues);
  return { spec: parsed.success && issues.length === 0 ? parsed.data : null, errors };
}
