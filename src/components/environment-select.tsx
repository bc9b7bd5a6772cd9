import { useId } from 'react';
import { ENVIRONMENTS, environmentSchema } from '@/domain/environments';
import { useViewSettings } from '@/lib/view-settings';

/** The environment in view, remembered across reloads. */
export function EnvironmentSelect() {
  const id = useId();
  const environment = useViewSettings((s) => s.environment);
  const setEnvironment = useViewSettings((s) => s.setEnvironment);
  return (
    <div className="flex items-center gap-2 text-sm">
      <label htmlFor={id} className="sr-only text-muted sm:not-sr-only">
        Environment
      </label>
      <select
        id={id}
        value={environment}
        onChange={(e) => setEnvironment(environmentSchema.parse(e.target.value))}
        className={
          'rounded-md border bg-raised px-2 py-1 font-semibold ' +
          (environment === 'production' ? 'border-danger text-danger' : 'border-line')
        }
      >
        {ENVIRONMENTS.map((env) => (
          <option key={env} value={env}>
            {env}
          </option>
        ))}
      </select>
    </div>
  );
}
