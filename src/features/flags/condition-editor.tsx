import { useId } from 'react';
import {
  ATTRIBUTE_PRESETS,
  OPERATOR_LABELS,
  SEMVER_COMPARATOR_LABELS,
  SEMVER_COMPARATORS,
  type Condition,
  type Segment,
} from '@/domain/flags';
import { changeOperator } from './draft-edits';
import { InlineError, inputClass } from '@/components/field';

interface ConditionEditorProps {
  condition: Condition;
  /** "condition 2 of rule 1": names every control of this row. */
  name: string;
  /** Field path of this condition, to find its messages: "environments.production.rules.0.conditions.1". */
  path: string;
  errors: Record<string, string>;
  segments: readonly Segment[];
  allowSegments: boolean;
  onChange: (condition: Condition) => void;
  onRemove: () => void;
}

const OPERATORS = Object.keys(OPERATOR_LABELS) as Condition['operator'][];

/** One condition of a rule or a segment: attribute, operator and value(s), each with its message. */
export function ConditionEditor({
  condition,
  name,
  path,
  errors,
  segments,
  allowSegments,
  onChange,
  onRemove,
}: ConditionEditorProps) {
  const id = useId();
  const listId = `${id}-attributes`;
  const control = (field: string, label: string) => {
    const message = errors[`${path}.${field}`];
    return {
      'aria-label': `${label} of ${name}`,
      'aria-invalid': Boolean(message),
      'aria-describedby': message ? `${id}-${field}` : undefined,
      className: inputClass,
    };
  };
  const operators = OPERATORS.filter((op) => allowSegments || op !== 'segment');
  return (
    <div className="flex flex-wrap items-start gap-2">
      <div className="flex flex-col">
        <select
          {...control('operator', 'Operator')}
          value={condition.operator}
          onChange={(e) =>
            onChange(changeOperator(condition, e.target.value as Condition['operator']))
          }
        >
          {operators.map((op) => (
            <option key={op} value={op}>
              {op === 'semver' ? 'version' : OPERATOR_LABELS[op]}
            </option>
          ))}
        </select>
        <InlineError id={`${id}-operator`} message={errors[`${path}.operator`]} />
      </div>
      {condition.operator === 'segment' ? (
        <div className="flex flex-col">
          <select
            {...control('segment', 'Segment')}
            value={condition.segment}
            onChange={(e) => onChange({ ...condition, segment: e.target.value })}
          >
            <option value="">choose a segment</option>
            {segments.map((s) => (
              <option key={s.key} value={s.key}>
                {s.name}
              </option>
            ))}
          </select>
          <InlineError id={`${id}-segment`} message={errors[`${path}.segment`]} />
        </div>
      ) : (
        <>
          <div className="flex flex-col">
            <input
              {...control('attribute', 'Attribute')}
              list={listId}
              value={condition.attribute}
              onChange={(e) => onChange({ ...condition, attribute: e.target.value })}
              className={`${inputClass} w-36`}
            />
            <datalist id={listId}>
              {ATTRIBUTE_PRESETS.map((a) => (
                <option key={a.name} value={a.name}>
                  {a.label}
                </option>
              ))}
            </datalist>
            <InlineError id={`${id}-attribute`} message={errors[`${path}.attribute`]} />
          </div>
          {condition.operator === 'semver' && (
            <select
              {...control('comparator', 'Comparison')}
              value={condition.comparator}
              onChange={(e) =>
                onChange({
                  ...condition,
                  comparator: e.target.value as typeof condition.comparator,
                })
              }
            >
              {SEMVER_COMPARATORS.map((c) => (
                <option key={c} value={c}>
                  {SEMVER_COMPARATOR_LABELS[c]}
                </option>
              ))}
            </select>
          )}
          {condition.operator === 'in' || condition.operator === 'not_in' ? (
            <div className="flex flex-col">
              <input
                {...control('values', 'Values')}
                placeholder="CO, PE, MX"
                value={condition.values.map(String).join(', ')}
                onChange={(e) =>
                  onChange({
                    ...condition,
                    values:
                      e.target.value === ''
                        ? []
                        : e.target.value.split(',').map((v) => v.trimStart()),
                  })
                }
              />
              <InlineError id={`${id}-values`} message={errors[`${path}.values`]} />
            </div>
          ) : (
            <div className="flex flex-col">
              <input
                {...control('value', 'Value')}
                value={String(condition.value)}
                onChange={(e) => onChange({ ...condition, value: e.target.value })}
              />
              <InlineError id={`${id}-value`} message={errors[`${path}.value`]} />
            </div>
          )}
        </>
      )}
      <button
        type="button"
        onClick={onRemove}
        aria-label={`Remove ${name}`}
        className="rounded border border-line px-2 py-1 text-xs hover:border-danger"
      >
        ✕
      </button>
    </div>
  );
}
