import { useId, type ReactNode } from 'react';
import { ENVIRONMENTS, type Environment } from '@/domain/environments';

interface EnvironmentTabsProps {
  selected: Environment;
  onSelect: (environment: Environment) => void;
  /** How many fields at fault each environment holds, to point at the hidden ones. */
  errorCounts: Partial<Record<Environment, number>>;
  states: Record<Environment, 'on' | 'off'>;
  children: ReactNode;
}

/** One tab per environment; the panel shows the selected environment's targeting. */
export function EnvironmentTabs({
  selected,
  onSelect,
  errorCounts,
  states,
  children,
}: EnvironmentTabsProps) {
  const id = useId();
  return (
    <div className="flex flex-col gap-3">
      <div
        role="tablist"
        aria-label="Environments"
        className="flex flex-wrap gap-1 border-b border-line"
      >
        {ENVIRONMENTS.map((env) => {
          const errors = errorCounts[env] ?? 0;
          return (
            <button
              key={env}
              type="button"
              role="tab"
              id={`${id}-${env}`}
              aria-selected={env === selected}
              aria-controls={`${id}-panel`}
              onClick={() => onSelect(env)}
              className={
                '-mb-px rounded-t-md border px-3 py-1.5 text-sm font-semibold ' +
                (env === selected
                  ? 'border-line border-b-bg bg-bg'
                  : 'border-transparent text-muted hover:text-fg')
              }
            >
              {env}
              <span className={`ml-1 text-xs ${states[env] === 'on' ? 'text-ok' : 'text-muted'}`}>
                ({states[env]})
              </span>
              {errors > 0 && <span className="ml-1 text-xs text-danger">{errors} to fix</span>}
            </button>
          );
        })}
      </div>
      <div role="tabpanel" id={`${id}-panel`} aria-labelledby={`${id}-${selected}`}>
        {children}
      </div>
    </div>
  );
}
