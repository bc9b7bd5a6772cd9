import { FlagSwitch } from '@/components/flag-switch/flag-switch';
import type { Environment } from '@/domain/environments';
import type { FlagState } from '@/domain/flags';

interface FlagStateCellProps {
  flagKey: string;
  environment: Environment;
  state: FlagState;
}

/** A flag's state in one environment, with its switch: off for anyone, back on for editors. */
export function FlagStateCell({ flagKey, environment, state }: FlagStateCellProps) {
  return (
    <div className="flex flex-col items-start gap-1">
      <span className={`text-xs font-bold uppercase ${state === 'on' ? 'text-ok' : 'text-muted'}`}>
        {state}
      </span>
      <FlagSwitch flagKey={flagKey} environment={environment} state={state} />
    </div>
  );
}
