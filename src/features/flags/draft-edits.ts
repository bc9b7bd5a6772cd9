import type { Environment } from '@/domain/environments';
import type { Condition, EnvironmentTargeting, FlagType, Rule, Serve } from '@/domain/flags';
import { DEFAULT_VARIANTS, type FlagDraft } from './flag-draft';

/** Pure edits of a draft: each returns a new draft and keeps every reference consistent. */

export function changeType(draft: FlagDraft, type: FlagType): FlagDraft {
  const variants = DEFAULT_VARIANTS[type];
  const [first, second] = variants;
  const off = second ?? first;
  return {
    ...draft,
    type,
    variants,
    defaultVariant: off?.name ?? '',
    offVariant: off?.name ?? '',
    fallbackText: off?.text ?? '',
  };
}

function renameIn(serve: Serve, from: string, to: string): Serve {
  if (serve.kind === 'variant') return serve.variant === from ? { ...serve, variant: to } : serve;
  return {
    ...serve,
    split: serve.split.map((e) => (e.variant === from ? { ...e, variant: to } : e)),
  };
}

/** Renames a variant, and every place that names it: defaults and the rules of every environment. */
export function renameVariant(draft: FlagDraft, index: number, name: string): FlagDraft {
  const old = draft.variants[index]?.name;
  if (old === undefined) return draft;
  const taken = draft.variants.some((v, i) => i !== index && v.name === old);
  const rename = (n: string) => (n === old && !taken ? name : n);
  const environments = Object.fromEntries(
    Object.entries(draft.environments).map(([env, t]) => [
      env,
      {
        ...t,
        rules: t.rules.map((r) => ({
          ...r,
          serve: taken ? r.serve : renameIn(r.serve, old, name),
        })),
      },
    ]),
  ) as FlagDraft['environments'];
  return {
    ...draft,
    variants: draft.variants.map((v, i) => (i === index ? { ...v, name } : v)),
    defaultVariant: draft.defaultVariant === null ? null : rename(draft.defaultVariant),
    offVariant: rename(draft.offVariant),
    environments,
  };
}

export function setVariantText(draft: FlagDraft, index: number, text: string): FlagDraft {
  return { ...draft, variants: draft.variants.map((v, i) => (i === index ? { ...v, text } : v)) };
}

export function addVariant(draft: FlagDraft): FlagDraft {
  let n = draft.variants.length + 1;
  while (draft.variants.some((v) => v.name === `variant-${n}`)) n++;
  const text =
    draft.type === 'boolean'
      ? 'true'
      : draft.type === 'number'
        ? '0'
        : draft.type === 'object'
          ? '{}'
          : `variant-${n}`;
  return { ...draft, variants: [...draft.variants, { name: `variant-${n}`, text }] };
}

export function removeVariant(draft: FlagDraft, index: number): FlagDraft {
  return { ...draft, variants: draft.variants.filter((_, i) => i !== index) };
}

export function updateTargeting(
  draft: FlagDraft,
  environment: Environment,
  edit: (t: EnvironmentTargeting) => EnvironmentTargeting,
): FlagDraft {
  return {
    ...draft,
    environments: { ...draft.environments, [environment]: edit(draft.environments[environment]) },
  };
}

export function updateRule(
  targeting: EnvironmentTargeting,
  index: number,
  edit: (rule: Rule) => Rule,
): EnvironmentTargeting {
  return { ...targeting, rules: targeting.rules.map((r, i) => (i === index ? edit(r) : r)) };
}

/** Moves a rule up (-1) or down (+1): order decides which rule matches first. */
export function moveRule(
  targeting: EnvironmentTargeting,
  index: number,
  delta: -1 | 1,
): EnvironmentTargeting {
  const target = index + delta;
  if (target < 0 || target >= targeting.rules.length) return targeting;
  const rules = [...targeting.rules];
  const [moved] = rules.splice(index, 1);
  if (moved) rules.splice(target, 0, moved);
  return { ...targeting, rules };
}

export function removeRule(targeting: EnvironmentTargeting, index: number): EnvironmentTargeting {
  return { ...targeting, rules: targeting.rules.filter((_, i) => i !== index) };
}

/**
 * Adds a rule. A rule with conditions goes before a closing rule for everyone, so it can
 * still match; a rule for everyone goes last.
 */
export function addRule(targeting: EnvironmentTargeting, rule: Rule): EnvironmentTargeting {
  const rules = [...targeting.rules];
  const last = rules[rules.length - 1];
  if (rule.conditions.length > 0 && last && last.conditions.length === 0)
    rules.splice(rules.length - 1, 0, rule);
  else rules.push(rule);
  return { ...targeting, rules };
}

export function blankCondition(operator: Condition['operator'] = 'equals'): Condition {
  switch (operator) {
    case 'segment':
      return { operator, segment: '' };
    case 'in':
    case 'not_in':
      return { operator, attribute: 'country', values: [] };
    case 'semver':
      return { operator, attribute: 'appVersion', comparator: '>=', value: '' };
    case 'ends_with':
    case 'starts_with':
      return { operator, attribute: 'email', value: '' };
    default:
      return { operator, attribute: 'country', value: '' };
  }
}

/** Switches a condition to another operator, keeping its attribute and value where they still fit. */
export function changeOperator(condition: Condition, operator: Condition['operator']): Condition {
  const next = blankCondition(operator);
  const attribute = 'attribute' in condition ? condition.attribute : undefined;
  const text =
    'value' in condition
      ? String(condition.value)
      : 'values' in condition
        ? condition.values.map(String).join(', ')
        : '';
  if ('attribute' in next && attribute) next.attribute = attribute;
  if (next.operator === 'in' || next.operator === 'not_in')
    next.values = text ? text.split(',').map((v) => v.trim()) : [];
  else if ('value' in next) next.value = text;
  return next;
}
