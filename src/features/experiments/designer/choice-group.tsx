import { useId } from 'react';

interface ChoiceGroupProps<T extends string> {
  legend: string;
  value: T;
  options: readonly { value: T; label: string; hint?: string }[];
  onChange: (value: T) => void;
  className?: string;
}

/** The option's outline while its radio has keyboard focus. */
const FOCUS_RING = 'has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-[var(--fl-focus)]';

/** A set of radio buttons drawn as a segmented control. */
export function ChoiceGroup<T extends string>({
  legend,
  value,
  options,
  onChange,
  className = '',
}: ChoiceGroupProps<T>) {
  const name = useId();
  return (
    <fieldset className={`flex flex-col gap-1 text-sm ${className}`}>
      <legend className="mb-1 font-semibold text-muted">{legend}</legend>
      <div className="flex flex-wrap gap-1">
        {options.map((option) => (
          <label
            key={option.value}
            title={option.hint}
            className={`cursor-pointer rounded-md border px-2 py-1 font-semibold ${FOCUS_RING} ${
              option.value === value
                ? 'border-accent bg-accent text-bg'
                : 'border-line bg-raised hover:border-muted'
            }`}
          >
            <input
              type="radio"
              name={name}
              value={option.value}
              checked={option.value === value}
              onChange={() => onChange(option.value)}
              className="sr-only"
            />
            {option.label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
