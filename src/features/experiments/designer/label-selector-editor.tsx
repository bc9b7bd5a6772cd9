import { useId, useState } from 'react';
import type { Instance } from '@/domain';
import { inputClass } from '@/components/field';

interface LabelSelectorEditorProps {
  selector: Record<string, string>;
  instances: readonly Instance[];
  error?: string | undefined;
  onChange: (selector: Record<string, string>) => void;
}

/** The labels of the fleet, with the values each takes. */
function knownLabels(instances: readonly Instance[]): Map<string, string[]> {
  const labels = new Map<string, Set<string>>();
  for (const instance of instances) {
    for (const [key, value] of Object.entries(instance.labels))
      labels.set(key, (labels.get(key) ?? new Set()).add(value));
  }
  return new Map(
    [...labels.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => [k, [...v].sort()]),
  );
}

/** Every label listed must match (AND); an empty selector matches every instance. */
export function LabelSelectorEditor({
  selector,
  instances,
  error,
  onChange,
}: LabelSelectorEditorProps) {
  const id = useId();
  const labels = knownLabels(instances);
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const values = labels.get(key) ?? [];
  const entries = Object.entries(selector);

  function addLabel() {
    if (!key || !value) return;
    onChange({ ...selector, [key]: value });
    setValue('');
  }

  return (
    <fieldset
      className="flex flex-col gap-2 text-sm"
      aria-describedby={error ? `${id}-error` : undefined}
    >
      <legend className="font-semibold text-muted">Label selector</legend>
      <ul className="flex flex-wrap gap-1" aria-label="Labels every instance must have">
        {entries.length === 0 && (
          <li className="text-xs text-muted">none: every instance of the service matches</li>
        )}
        {entries.map(([k, v]) => (
          <li
            key={k}
            className="flex items-center gap-1 rounded-full border border-accent px-2 py-0.5 font-mono text-xs"
          >
            {k}={v}
            <button
              type="button"
              aria-label={`Remove label ${k}=${v}`}
              className="text-muted hover:text-danger"
              onClick={() => {
                const { [k]: _removed, ...rest } = selector;
                onChange(rest);
              }}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <div className="flex flex-wrap items-center gap-1">
        <label htmlFor={`${id}-key`} className="sr-only">
          Label name
        </label>
        <select
          id={`${id}-key`}
          value={key}
          onChange={(e) => setKey(e.target.value)}
          className={inputClass}
        >
          <option value="">label…</option>
          {[...labels.keys()].map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-value`} className="sr-only">
          Label value
        </label>
        <select
          id={`${id}-value`}
          value={value}
          onChange={(e) => setValue(e.target.value)}
          disabled={!key}
          className={inputClass}
        >
          <option value="">value…</option>
          {values.map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </select>
        <button
          type="button"
          onClick={addLabel}
          disabled={!key || !value}
          className="rounded-md border border-line px-2 py-1 font-semibold disabled:opacity-50"
        >
          Add label
        </button>
      </div>
      {error && (
        <span id={`${id}-error`} className="text-xs font-semibold text-danger">
          {error}
        </span>
      )}
    </fieldset>
  );
}
