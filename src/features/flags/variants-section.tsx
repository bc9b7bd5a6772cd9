import { FLAG_TYPE_LABELS, FLAG_TYPES, type FlagType } from '@/domain/flags';
import {
  addVariant,
  changeType,
  removeVariant,
  renameVariant,
  setVariantText,
} from './draft-edits';
import { Field, InlineError, inputClass } from '@/components/field';
import type { FlagDraft } from './flag-draft';

/** The select's value for "no default variant": a control character no variant name has. */
const NO_DEFAULT = '\u0000none';

interface VariantsSectionProps {
  draft: FlagDraft;
  isNew: boolean;
  errors: Record<string, string>;
  onChange: (draft: FlagDraft) => void;
}

/** The flag's variants (all of one type), its default and off variants and its fallback value. */
export function VariantsSection({ draft, isNew, errors, onChange }: VariantsSectionProps) {
  const names = draft.variants.map((v) => v.name);
  return (
    <section
      aria-labelledby="variants-heading"
      className="flex flex-col gap-3 rounded-lg border border-line bg-surface p-4"
    >
      <h2 id="variants-heading" className="text-lg font-bold">
        Variants
      </h2>
      <Field
        label="Type"
        hint={
          isNew
            ? 'Every variant holds a value of this type.'
            : 'The type is fixed once the flag exists.'
        }
      >
        {(control) => (
          <select
            {...control}
            className={`${inputClass} w-40`}
            value={draft.type}
            disabled={!isNew}
            onChange={(e) => onChange(changeType(draft, e.target.value as FlagType))}
          >
            {FLAG_TYPES.map((t) => (
              <option key={t} value={t}>
                {FLAG_TYPE_LABELS[t]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <ul className="flex flex-col gap-2">
        {draft.variants.map((variant, index) => {
          const valueError = errors[`variants.${variant.name}`];
          const nameError = errors[`variantNames.${index}`];
          return (
            <li key={index} className="flex flex-wrap items-start gap-2">
              <div className="flex flex-col">
                <input
                  aria-label={`Name of variant ${index + 1}`}
                  aria-invalid={Boolean(nameError)}
                  className={`${inputClass} w-36`}
                  value={variant.name}
                  onChange={(e) => onChange(renameVariant(draft, index, e.target.value))}
                />
                <InlineError id={`variant-name-${index}`} message={nameError} />
              </div>
              <div className="flex flex-1 flex-col">
                {draft.type === 'boolean' ? (
                  <select
                    aria-label={`Value of variant ${variant.name}`}
                    aria-invalid={Boolean(valueError)}
                    className={`${inputClass} w-28`}
                    value={variant.text}
                    onChange={(e) => onChange(setVariantText(draft, index, e.target.value))}
                  >
                    <option value="true">true</option>
                    <option value="false">false</option>
                  </select>
                ) : (
                  <input
                    aria-label={`Value of variant ${variant.name}`}
                    aria-invalid={Boolean(valueError)}
                    className={`${inputClass} font-mono`}
                    value={variant.text}
                    onChange={(e) => onChange(setVariantText(draft, index, e.target.value))}
                  />
                )}
                <InlineError id={`variant-value-${index}`} message={valueError} />
              </div>
              <button
                type="button"
                aria-label={`Remove variant ${variant.name}`}
                disabled={draft.variants.length <= 1}
                onClick={() => onChange(removeVariant(draft, index))}
                className="rounded border border-line px-2 py-1 text-xs disabled:opacity-40"
              >
                ✕
              </button>
            </li>
          );
        })}
      </ul>
      <InlineError id="variants-error" message={errors.variants} />
      <div>
        <button
          type="button"
          onClick={() => onChange(addVariant(draft))}
          className="rounded-md border border-line bg-raised px-3 py-1 text-sm font-semibold hover:border-muted"
        >
          Add variant
        </button>
      </div>
      <div className="grid gap-3 sm:grid-cols-3">
        <Field
          label="Default variant"
          error={errors.defaultVariant}
          hint="Served when no rule matches."
        >
          {(control) => (
            <select
              {...control}
              className={inputClass}
              value={draft.defaultVariant ?? NO_DEFAULT}
              onChange={(e) =>
                onChange({
                  ...draft,
                  defaultVariant: e.target.value === NO_DEFAULT ? null : e.target.value,
                })
              }
            >
              {draft.defaultVariant !== null && !names.includes(draft.defaultVariant) && (
                <option value={draft.defaultVariant}>{draft.defaultVariant || 'choose'}</option>
              )}
              <option value={NO_DEFAULT}>None: the application&apos;s own default</option>
              {names.map((n) => (
                <option key={n}>{n}</option>
              ))}
            </select>
          )}
        </Field>
        <Field
          label="Off variant"
          error={errors.offVariant}
          hint="Served to everyone while the flag is off."
        >
          {(control) => (
            <select
              {...control}
              className={inputClass}
              value={draft.offVariant}
              onChange={(e) => onChange({ ...draft, offVariant: e.target.value })}
            >
              {!names.includes(draft.offVariant) && (
                <option value={draft.offVariant}>{draft.offVariant || 'choose'}</option>
              )}
              {names.map((n) => (
                <option key={n}>{n}</option>
              ))}
            </select>
          )}
        </Field>
        <Field
          label="Fallback value"
          error={errors.fallbackValue}
          hint="What applications use until they reach the flag service."
        >
          {(control) => (
            <input
              {...control}
              className={`${inputClass} font-mono`}
              value={draft.fallbackText}
              onChange={(e) => onChange({ ...draft, fallbackText: e.target.value })}
            />
          )}
        </Field>
      </div>
    </section>
  );
}
