import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useBackend } from '@/backend/backend-context';
import { flagQuery } from '@/backend/flags-queries';
import type { HaltAllTiming } from '@/components/kill-switch/use-halt-all';
import type { Environment } from '@/domain/environments';
import { useTurnFlagOff, type TurnOffPhase } from './use-turn-flag-off';

interface InheritedFlagProps {
  flagKey: string;
  environment: Environment;
  timing?: HaltAllTiming;
}

function statusText(
  status: TurnOffPhase,
  flagKey: string,
  environment: Environment,
): { text: string; tone: string } {
  switch (status.phase) {
    case 'pending':
      return {
        text:
          status.attempt > 1
            ? `Turning ${flagKey} off… (attempt ${status.attempt})`
            : `Turning ${flagKey} off…`,
        tone: 'text-warn',
      };
    case 'retrying':
      return { text: 'Retrying…', tone: 'text-warn' };
    case 'confirmed':
      return {
        text: `${flagKey} is off in ${environment}: everyone is on the old path`,
        tone: 'text-ok',
      };
    case 'failed':
      return { text: 'Turning the flag off failed', tone: 'text-danger' };
    case 'idle':
      return { text: '', tone: 'text-muted' };
  }
}

/**
 * For an experiment whose blast radius is a flag's cohort: the flag, its state here, and its
 * kill switch, one press for anyone signed in. Says "off" only once the backend confirms.
 */
export function InheritedFlag({ flagKey, environment, timing }: InheritedFlagProps) {
  const backend = useBackend();
  const flag = useQuery(flagQuery(backend, flagKey));
  const { status, turnOff } = useTurnFlagOff(flagKey, environment, timing);
  const state = flag.data?.environments[environment].state;
  const working = status.phase === 'pending' || status.phase === 'retrying';
  const { text, tone } = statusText(status, flagKey, environment);
  const problem = status.phase === 'retrying' || status.phase === 'failed' ? status.problem : null;

  return (
    <section
      aria-label="Inherited flag"
      className="flex flex-wrap items-center gap-3 rounded-lg border border-line bg-surface px-4 py-2 text-sm"
    >
      <p>
        Blast radius inherited from flag{' '}
        <Link
          to={`/flags/${encodeURIComponent(flagKey)}`}
          className="font-mono font-semibold underline-offset-2 hover:underline"
        >
          {flagKey}
        </Link>
        {state && (
          <>
            ,{' '}
            <span
              className={state === 'on' ? 'font-semibold text-warn' : 'font-semibold text-muted'}
            >
              {state}
            </span>{' '}
            in {environment}
          </>
        )}
        . The charts split its users: <span className="font-semibold text-target">flag on</span>{' '}
        against <span className="font-semibold text-control">flag off</span>.
      </p>
      <button
        type="button"
        onClick={() => void turnOff()}
        aria-busy={working}
        disabled={state === 'off' && !working}
        title={`The flag's kill switch: everyone in ${environment} gets its off variant`}
        className="ml-auto rounded-md border-2 border-danger bg-danger-strong px-3 py-1.5 font-bold text-white hover:brightness-110 disabled:cursor-not-allowed disabled:border-line disabled:bg-raised disabled:text-muted"
      >
        Turn flag off
      </button>
      <div
        role="status"
        aria-live="assertive"
        aria-label="Flag kill switch"
        className={`min-w-0 font-semibold ${tone}`}
      >
        {text}
        {problem && <span className="block text-xs font-normal text-muted">{problem}</span>}
      </div>
    </section>
  );
}
