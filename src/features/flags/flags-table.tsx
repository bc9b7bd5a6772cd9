import { Link } from 'react-router';
import { ENVIRONMENTS } from '@/domain/environments';
import { FLAG_TYPE_LABELS, flagTypeOf, formatValue, type Flag } from '@/domain/flags';
import { FlagStateCell } from './flag-state-cell';

/** Flags with their state in every environment; each "on" has its one-press kill switch. */
export function FlagsTable({ flags }: { flags: readonly Flag[] }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-line">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Feature flags and their state per environment</caption>
        <thead className="bg-raised text-xs uppercase tracking-wide text-muted">
          <tr>
            <th scope="col" className="px-3 py-2">
              Flag
            </th>
            <th scope="col" className="px-3 py-2">
              Type
            </th>
            <th scope="col" className="px-3 py-2">
              Fallback
            </th>
            {ENVIRONMENTS.map((env) => (
              <th key={env} scope="col" className="px-3 py-2">
                {env}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {flags.map((flag) => {
            const type = flagTypeOf(flag);
            return (
              <tr key={flag.key} className="border-t border-line align-top">
                <th scope="row" className="px-3 py-2 font-normal">
                  <Link
                    to={`/flags/${encodeURIComponent(flag.key)}`}
                    className="font-mono font-semibold text-accent hover:underline"
                  >
                    {flag.key}
                  </Link>
                  {flag.description && <p className="text-xs text-muted">{flag.description}</p>}
                  {flag.services.length > 0 && (
                    <p className="text-xs text-muted">services: {flag.services.join(', ')}</p>
                  )}
                </th>
                <td className="px-3 py-2">{type ? FLAG_TYPE_LABELS[type] : '–'}</td>
                <td className="px-3 py-2 font-mono text-xs">{formatValue(flag.fallbackValue)}</td>
                {ENVIRONMENTS.map((env) => (
                  <td key={env} className="px-3 py-2">
                    <FlagStateCell
                      flagKey={flag.key}
                      environment={env}
                      state={flag.environments[env].state}
                    />
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
