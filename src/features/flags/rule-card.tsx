import type { Rule, Segment } from '@/domain/flags';
import { ConditionEditor } from './condition-editor';
import { blankCondition } from './draft-edits';
import { InlineError, inputClass } from '@/components/field';
import { ServeEditor } from './serve-editor';

interface RuleCardProps {
  rule: Rule;
  index: number;
  count: number;
  variants: readonly string[];
  segments: readonly Segment[];
  path: string;
  errors: Record<string, string>;
  onChange: (rule: Rule) => void;
  onMove: (delta: -1 | 1) => void;
  onRemove: () => void;
}

const small =
  'rounded border border-line px-2 py-0.5 text-xs font-semibold hover:border-fg disabled:opacity-40';

/** One ordered rule: when all its conditions hold, it serves a variant or a rollout. */
export function RuleCard({
  rule,
  index,
  count,
  variants,
  segments,
  path,
  errors,
  onChange,
  onMove,
  onRemove,
}: RuleCardProps) {
  const name = `rule ${index + 1}`;
  const title = rule.name ? `Rule ${index + 1}: ${rule.name}` : `Rule ${index + 1}`;
  return (
    <li
      aria-label={title}
      className="flex flex-col gap-3 rounded-lg border border-line bg-surface p-3"
    >
      <div className="flex flex-wrap items-center gap-2">
        <span className="text-sm font-bold">{index + 1}.</span>
        <input
          aria-label={`Name of ${name}`}
          placeholder="Rule name"
          value={rule.name}
          onChange={(e) => onChange({ ...rule, name: e.target.value })}
          className={`${inputClass} flex-1`}
        />
        <button
          type="button"
          className={small}
          aria-label={`Move ${name} up`}
          disabled={index === 0}
          onClick={() => onMove(-1)}
        >
          ↑
        </button>
        <button
          type="button"
          className={small}
          aria-label={`Move ${name} down`}
          disabled={index === count - 1}
          onClick={() => onMove(1)}
        >
          ↓
        </button>
        <button
          type="button"
          className={`${small} hover:border-danger`}
          aria-label={`Remove ${name}`}
          onClick={onRemove}
        >
          Remove
        </button>
      </div>
      <div className="flex flex-col gap-2">
        <span className="text-xs font-semibold uppercase tracking-wide text-muted">
          {rule.conditions.length === 0 ? 'Everyone (no condition)' : 'When all of these hold'}
        </span>
        {rule.conditions.map((condition, i) => (
          <ConditionEditor
            key={i}
            condition={condition}
            name={`condition ${i + 1} of ${name}`}
            path={`${path}.conditions.${i}`}
            errors={errors}
            segments={segments}
            allowSegments
            onChange={(next) =>
              onChange({ ...rule, conditions: rule.conditions.map((c, j) => (j === i ? next : c)) })
            }
            onRemove={() =>
              onChange({ ...rule, conditions: rule.conditions.filter((_, j) => j !== i) })
            }
          />
        ))}
        <InlineError id={`${path}-conditions`} message={errors[`${path}.conditions`]} />
        <div className="flex gap-2">
          <button
            type="button"
            className={small}
            onClick={() =>
              onChange({ ...rule, conditions: [...rule.conditions, blankCondition('ends_with')] })
            }
          >
            Add condition to {name}
          </button>
          <button
            type="button"
            className={small}
            onClick={() =>
              onChange({ ...rule, conditions: [...rule.conditions, blankCondition('segment')] })
            }
          >
            Add segment to {name}
          </button>
        </div>
      </div>
      <div className="flex flex-col gap-1">
        <span className="text-xs font-semibold uppercase tracking-wide text-muted">Serve</span>
        <ServeEditor
          serve={rule.serve}
          variants={variants}
          name={name}
          path={`${path}.serve`}
          errors={errors}
          onChange={(serve) => onChange({ ...rule, serve })}
        />
      </div>
    </li>
  );
}
