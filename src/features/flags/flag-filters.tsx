import { ENVIRONMENTS, type Environment } from '@/domain/environments';
import { FLAG_TYPE_LABELS, FLAG_TYPES, type FlagType } from '@/domain/flags';
import { Field, inputClass } from '@/components/field';
import type { FlagFilter } from './flag-filter';

/** Search and filters above the flag list. */
export function FlagFilters({
  filter,
  services,
  onChange,
}: {
  filter: FlagFilter;
  services: readonly string[];
  onChange: (next: Partial<FlagFilter>) => void;
}) {
  return (
    <div role="search" className="flex flex-wrap items-end gap-3">
      <Field label="Search flags" className="min-w-56 flex-1">
        {(control) => (
          <input
            {...control}
            type="search"
            className={inputClass}
            placeholder="key or description"
            value={filter.text}
            onChange={(e) => onChange({ text: e.target.value })}
          />
        )}
      </Field>
      <Field label="State">
        {(control) => (
          <select
            {...control}
            className={inputClass}
            value={filter.state ?? ''}
            onChange={(e) =>
              onChange({
                state: e.target.value === 'on' || e.target.value === 'off' ? e.target.value : null,
              })
            }
          >
            <option value="">any</option>
            <option value="on">on</option>
            <option value="off">off</option>
          </select>
        )}
      </Field>
      <Field label="in environment">
        {(control) => (
          <select
            {...control}
            className={inputClass}
            value={filter.environment}
            onChange={(e) => onChange({ environment: e.target.value as Environment })}
          >
            {ENVIRONMENTS.map((env) => (
              <option key={env}>{env}</option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Type">
        {(control) => (
          <select
            {...control}
            className={inputClass}
            value={filter.type ?? ''}
            onChange={(e) =>
              onChange({
                type: (FLAG_TYPES as readonly string[]).includes(e.target.value)
                  ? (e.target.value as FlagType)
                  : null,
              })
            }
          >
            <option value="">any</option>
            {FLAG_TYPES.map((t) => (
              <option key={t} value={t}>
                {FLAG_TYPE_LABELS[t]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Service">
        {(control) => (
          <select
            {...control}
            className={inputClass}
            value={filter.service ?? ''}
            onChange={(e) => onChange({ service: e.target.value || null })}
          >
            <option value="">any</option>
            {services.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        )}
      </Field>
    </div>
  );
}
