import type { StopPhase } from '@/components/kill-switch/use-stop-until-confirmed';
import type { Environment } from '@/domain/environments';
import type { FlagState } from '@/domain/flags';

interface FlagSwitchStatusProps {
  status: StopPhase<{ state: FlagState }>;
  flagKey: string;
  environment: Environment;
}

/** Where a flag switch stands, in words; announced as it changes. Silent until pressed. */
export function FlagSwitchStatus({ status, flagKey, environment }: FlagSwitchStatusProps) {
  let text = '';
  let tone = 'text-muted';
  switch (status.phase) {
    case 'pending':
      text = status.attempt > 1 ? `Switching… (attempt ${status.attempt})` : 'Switching…';
      tone = 'text-warn';
      break;
    case 'retrying':
      text = 'Retrying…';
      tone = 'text-warn';
      break;
    case 'confirmed':
      text =
        status.state === 'off'
          ? `${flagKey} is off in ${environment}: everyone gets the off variant`
          : `${flagKey} is on in ${environment}`;
      tone = 'text-ok';
      break;
    case 'failed':
      text = `Switching ${flagKey} failed`;
      tone = 'text-danger';
      break;
  }
  const problem = status.phase === 'retrying' || status.phase === 'failed' ? status.problem : null;
  return (
    <div
      role="status"
      aria-live="assertive"
      aria-label={`${flagKey} in ${environment}`}
      className={`max-w-64 text-xs font-semibold ${tone}`}
    >
      {text}
      {problem && <span className="block font-normal text-muted">{problem}</span>}
    </div>
  );
}
