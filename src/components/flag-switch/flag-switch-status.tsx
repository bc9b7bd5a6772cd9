import type { StopStatus } from '@/lib/use-stop';
import type { Environment } from '@/domain/environments';
import type { Flag } from '@/domain/flags';

interface FlagSwitchStatusProps {
  status: StopStatus<Flag>;
  flagKey: string;
  environment: Environment;
}

/** Where a flag switch stands, in words; announced as it changes. Silent until pressed. */
export function FlagSwitchStatus({ status, flagKey, environment }: FlagSwitchStatusProps) {
  let text = '';
  let tone = 'text-muted';
  let problem: string | null = null;
  switch (status.phase) {
    case 'pending':
      text = status.attempt > 1 ? `Switching… (attempt ${status.attempt})` : 'Switching…';
      tone = 'text-warn';
      problem = status.problem;
      break;
    case 'confirmed':
      text =
        status.answer.environments[environment].state === 'off'
          ? `${flagKey} is off in ${environment}: everyone gets the off variant`
          : `${flagKey} is on in ${environment}`;
      tone = 'text-ok';
      break;
    case 'failed':
      text = `Switching ${flagKey} failed`;
      tone = 'text-danger';
      problem = status.problem;
      break;
  }
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
