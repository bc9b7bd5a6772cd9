import type { ReactNode } from 'react';
import type { Environment } from '@/domain/environments';
import type { EnvironmentTargeting, Segment } from '@/domain/flags';
import { addRule, blankCondition, moveRule, removeRule, updateRule } from './draft-edits';
import { JsonRuleEditor } from './json-rule-editor';
import { RuleCard } from './rule-card';

const defaultText = (variant: string | null) =>
  variant === null
    ? "the application's own default (no default variant)"
    : `the default variant “${variant}”`;

interface TargetingEditorProps {
  environment: Environment;
  targeting: EnvironmentTargeting;
  variants: readonly string[];
  defaultVariant: string | null;
  segments: readonly Segment[];
  errors: Record<string, string>;
  onChange: (targeting: EnvironmentTargeting) => void;
  /**
   * For a saved flag: its switch, which acts at once. Without it (a flag being created) the
   * state is a field of the form.
   */
  stateSwitch?: ReactNode;
}

/** One environment: on or off (the kill switch), and its rules in order: the first that matches decides. */
export function TargetingEditor({
  environment,
  targeting,
  variants,
  defaultVariant,
  segments,
  errors,
  onChange,
  stateSwitch,
}: TargetingEditorProps) {
  const path = `environments.${environment}`;
  return (
    <div className="flex flex-col gap-3">
      {stateSwitch ?? (
        <label className="flex items-center gap-2 text-sm font-semibold">
          <input
            type="checkbox"
            checked={targeting.state === 'on'}
            onChange={(e) => onChange({ ...targeting, state: e.target.checked ? 'on' : 'off' })}
          />
          On in {environment} once created
          <span className="font-normal text-muted">
            {targeting.state === 'off' ? '— off: everyone gets the off variant' : ''}
          </span>
        </label>
      )}
      {targeting.logic !== undefined ? (
        <JsonRuleEditor
          subject={`targeting in ${environment}`}
          logic={targeting.logic}
          error={errors[`${path}.logic`]}
          onChange={(logic) => onChange({ ...targeting, logic })}
          onReplace={() => onChange({ state: targeting.state, rules: [] })}
        />
      ) : (
        <RulesEditor
          environment={environment}
          targeting={targeting}
          variants={variants}
          defaultVariant={defaultVariant}
          segments={segments}
          errors={errors}
          onChange={onChange}
        />
      )}
    </div>
  );
}

/** The ordered rules of one environment, as forms. */
function RulesEditor({
  environment,
  targeting,
  variants,
  defaultVariant,
  segments,
  errors,
  onChange,
}: Omit<TargetingEditorProps, 'stateSwitch'>) {
  const path = `environments.${environment}`;
  const hasCatchAll = targeting.rules.at(-1)?.conditions.length === 0;
  const firstVariant = variants[0] ?? '';
  return (
    <>
      {targeting.rules.length === 0 && (
        <p className="text-sm text-muted">No rules: everyone gets {defaultText(defaultVariant)}.</p>
      )}
      <ol className="flex flex-col gap-3">
        {targeting.rules.map((rule, index) => (
          <RuleCard
            key={index}
            rule={rule}
            index={index}
            count={targeting.rules.length}
            variants={variants}
            segments={segments}
            path={`${path}.rules.${index}`}
            errors={errors}
            onChange={(next) => onChange(updateRule(targeting, index, () => next))}
            onMove={(delta) => onChange(moveRule(targeting, index, delta))}
            onRemove={() => onChange(removeRule(targeting, index))}
          />
        ))}
      </ol>
      {!hasCatchAll && targeting.rules.length > 0 && (
        <p className="text-sm text-muted">
          Anyone no rule matches gets {defaultText(defaultVariant)}.
        </p>
      )}
      <div className="flex flex-wrap gap-2">
        <button
          type="button"
          className="rounded-md border border-line bg-raised px-3 py-1 text-sm font-semibold hover:border-muted"
          onClick={() =>
            onChange(
              addRule(targeting, {
                name: '',
                conditions: [blankCondition('segment')],
                serve: { kind: 'variant', variant: firstVariant },
              }),
            )
          }
        >
          Add rule in {environment}
        </button>
        {!hasCatchAll && (
          <button
            type="button"
            className="rounded-md border border-line bg-raised px-3 py-1 text-sm font-semibold hover:border-muted"
            onClick={() =>
              onChange(
                addRule(targeting, {
                  name: 'Everyone else',
                  conditions: [],
                  serve: {
                    kind: 'rollout',
                    split: variants
                      .slice(0, 2)
                      .map((variant, i) => ({ variant, weight: i === 0 ? 10 : 90 })),
                  },
                }),
              )
            }
          >
            Add percentage rollout for everyone else
          </button>
        )}
      </div>
    </>
  );
}
