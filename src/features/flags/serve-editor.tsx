import type { Serve } from '@/domain/flags';
import { InlineError, inputClass } from '@/components/field';

interface ServeEditorProps {
  serve: Serve;
  variants: readonly string[];
  /** "rule 1": names the controls. */
  name: string;
  path: string;
  errors: Record<string, string>;
  onChange: (serve: Serve) => void;
}

/** Even split over the variants, the remainder to the first (weights in %). */
function evenSplit(variants: readonly string[]): Extract<Serve, { kind: 'rollout' }>['split'] {
  const share = Math.floor(100 / variants.length);
  return variants.map((variant, i) => ({
    variant,
    weight: i === 0 ? 100 - share * (variants.length - 1) : share,
  }));
}

/** What a rule serves: one variant, or a percentage rollout (a slider for two variants). */
export function ServeEditor({ serve, variants, name, path, errors, onChange }: ServeEditorProps) {
  const total = serve.kind === 'rollout' ? serve.split.reduce((sum, e) => sum + e.weight, 0) : 0;
  const pair = serve.kind === 'rollout' && serve.split.length === 2 ? serve.split : null;
  const first = pair?.[0];
  const second = pair?.[1];
  return (
    <div className="flex flex-col gap-2">
      <div role="radiogroup" aria-label={`What ${name} serves`} className="flex gap-3 text-sm">
        <label className="flex items-center gap-1">
          <input
            type="radio"
            checked={serve.kind === 'variant'}
            onChange={() => onChange({ kind: 'variant', variant: variants[0] ?? '' })}
          />
          One variant
        </label>
        <label className="flex items-center gap-1">
          <input
            type="radio"
            checked={serve.kind === 'rollout'}
            onChange={() => onChange({ kind: 'rollout', split: evenSplit(variants) })}
          />
          Percentage rollout
        </label>
      </div>
      {serve.kind === 'variant' ? (
        <div className="flex flex-col">
          <select
            aria-label={`Variant served by ${name}`}
            className={inputClass}
            value={serve.variant}
            aria-invalid={Boolean(errors[`${path}.variant`])}
            onChange={(e) => onChange({ kind: 'variant', variant: e.target.value })}
          >
            {!variants.includes(serve.variant) && (
              <option value={serve.variant}>{serve.variant || 'choose'}</option>
            )}
            {variants.map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
          </select>
          <InlineError id={`${path}-variant`} message={errors[`${path}.variant`]} />
        </div>
      ) : pair && first && second && total === 100 ? (
        <div className="flex flex-wrap items-center gap-3 text-sm">
          <label className="flex items-center gap-2">
            <span>
              Share for {first.variant} (%) in {name}
            </span>
            <input
              type="range"
              min={0}
              max={100}
              step={1}
              value={first.weight}
              onChange={(e) =>
                onChange({
                  kind: 'rollout',
                  split: [
                    { ...first, weight: Number(e.target.value) },
                    { ...second, weight: 100 - Number(e.target.value) },
                  ],
                })
              }
            />
          </label>
          <output className="font-semibold tabular-nums">
            {first.weight} % {first.variant} · {second.weight} % {second.variant}
          </output>
        </div>
      ) : (
        <div className="flex flex-wrap gap-3 text-sm">
          {serve.split.map((entry, index) => (
            <label key={entry.variant} className="flex items-center gap-1">
              <span>
                Weight of {entry.variant} in {name}
              </span>
              <input
                type="number"
                min={0}
                className={`${inputClass} w-20`}
                value={entry.weight}
                onChange={(e) =>
                  onChange({
                    kind: 'rollout',
                    split: serve.split.map((s, i) =>
                      i === index
                        ? { ...s, weight: Math.max(0, Math.round(Number(e.target.value) || 0)) }
                        : s,
                    ),
                  })
                }
              />
              <span className="text-muted">
                {total > 0 ? `${Math.round((entry.weight / total) * 1000) / 10} %` : '–'}
              </span>
            </label>
          ))}
        </div>
      )}
      <InlineError id={`${path}-split`} message={errors[`${path}.split`]} />
    </div>
  );
}
