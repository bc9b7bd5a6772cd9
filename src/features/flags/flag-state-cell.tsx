import { describeError } from '@/backend/api-error';
import { useCan } from '@/backend/use-current-user';
import type { Environment } from '@/domain/environments';
import type { FlagState } from '@/domain/flags';
import { useEnableFlag, useKillFlag } from './use-flag-actions';

interface FlagStateCellProps {
  flagKey: string;
  environment: Environment;
  state: FlagState;
}

/** A flag's state in one environment, with its kill switch (anyone) or the way back on (editors). */
export function FlagStateCell({ flagKey, environment, state }: FlagStateCellProps) {
  const canWrite = useCan('flag.write');
  const kill = useKillFlag(flagKey, environment);
  const enable = useEnableFlag(flagKey, environment);
  const failure = kill.error ?? enable.error;
  return (
    <div className="flex flex-col items-start gap-1">
      <span className={`text-xs font-bold uppercase ${state === 'on' ? 'text-ok' : 'text-muted'}`}>
        {state}
      </span>
      {state === 'on' ? (
        <button
          type="button"
          aria-label={`Turn off ${flagKey} in ${environment}`}
          aria-busy={kill.isPending}
          disabled={kill.isPending}
          onClick={() => kill.mutate()}
          className="rounded border border-danger px-2 py-0.5 text-xs font-bold text-danger hover:bg-danger/15 disabled:opacity-60"
        >
          {kill.isPending ? (kill.failureCount > 0 ? 'Retrying…' : 'Turning off…') : 'Turn off'}
        </button>
      ) : (
        canWrite && (
          <button
            type="button"
            aria-label={`Turn on ${flagKey} in ${environment}`}
            disabled={enable.isPending}
            onClick={() => enable.mutate()}
            className="rounded border border-line px-2 py-0.5 text-xs font-semibold hover:border-ok"
          >
            {enable.isPending ? 'Turning on…' : 'Turn on'}
          </button>
        )
      )}
      {failure && (
        <span role="alert" className="max-w-40 text-xs text-danger">
          {describeError(failure)}
        </span>
      )}
    </div>
  );
}
