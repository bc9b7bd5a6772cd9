import { useId } from 'react';
import { ENVIRONMENTS } from '@/domain/environments';
import { EXPERIMENT_STATES } from '@/domain/lifecycle';
import type { ExperimentFilter } from '@/backend/backend';

interface ExperimentFiltersProps {
  filter: ExperimentFilter;
  onChange: (filter: ExperimentFilter) => void;
}

/** Narrow the list by environment and state; "any" removes the filter. */
export function ExperimentFilters({ filter, onChange }: ExperimentFiltersProps) {
  const envId = useId();
  const stateId = useId();
  const select = 'rounded-md border border-line bg-raised px-2 py-1';
  return (
    <div role="group" aria-label="Filters" className="flex flex-wrap items-center gap-4 text-sm">
      <label htmlFor={envId} className="flex items-center gap-2">
        <span className="text-muted">Environment</span>
        <select
          id={envId}
          className={select}
          value={filter.environment ?? ''}
          onChange={(e) =>
            onChange({ ...filter, environment: ENVIRONMENTS.find((env) => env === e.target.value) })
          }
        >
          <option value="">any</option>
          {ENVIRONMENTS.map((env) => (
            <option key={env} value={env}>
              {env}
            </option>
          ))}
        </select>
      </label>
      <label htmlFor={stateId} className="flex items-center gap-2">
        <span className="text-muted">State</span>
        <select
          id={stateId}
          className={select}
          value={filter.state ?? ''}
          onChange={(e) =>
            onChange({ ...filter, state: EXPERIMENT_STATES.find((s) => s === e.target.value) })
          }
        >
          <option value="">any</option>
          {EXPERIMENT_STATES.map((state) => (
            <option key={state} value={state}>
              {state}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
