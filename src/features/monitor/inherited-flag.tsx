import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useBackend } from '@/lib/backend-context';
import { flagQuery } from '@/lib/queries/flags';
import { FlagSwitch } from '@/components/flag-switch/flag-switch';
import type { StopTiming } from '@/lib/use-stop';
import type { Environment } from '@/domain/environments';

interface InheritedFlagProps {
  flagKey: string;
  environment: Environment;
  timing?: StopTiming;
}

/**
 * For an experiment whose blast radius is a flag's cohort: the flag, its state here, and its
 * switch (the same as on the flags page): off for anyone signed in, confirmed, immediate.
 */
export function InheritedFlag({ flagKey, environment, timing }: InheritedFlagProps) {
  const backend = useBackend();
  const flag = useQuery(flagQuery(backend, flagKey));
  const state = flag.data?.environments[environment].state;

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
      {state && (
        <div className="ml-auto">
          <FlagSwitch
            flagKey={flagKey}
            environment={environment}
            state={state}
            size="large"
            offOnly
            {...(timing ? { timing } : {})}
          />
        </div>
      )}
    </section>
  );
}
