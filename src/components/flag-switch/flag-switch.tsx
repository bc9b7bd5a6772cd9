import { useState } from 'react';
import { useCan } from '@/lib/use-current-user';
import type { StopTiming } from '@/lib/use-stop';
import type { Environment } from '@/domain/environments';
import type { Flag, FlagState } from '@/domain/flags';
import { FlagSwitchDialog } from './flag-switch-dialog';
import { FlagSwitchStatus } from './flag-switch-status';
import { useFlagSwitch } from './use-flag-switch';

interface FlagSwitchProps {
  flagKey: string;
  environment: Environment;
  /** The state the server last reported. */
  state: FlagState;
  /** Called once the backend confirms the switch, with the flag it answered. */
  onSwitched?: (flag: Flag) => void;
  /** `large` where the switch is the page's main action (the live monitor). */
  size?: 'small' | 'large';
  /** Where only stopping belongs (the live monitor): no way back on from here. */
  offOnly?: boolean;
  timing?: StopTiming;
}

const SIZES = {
  small: 'rounded border px-2 py-0.5 text-xs',
  large: 'rounded-md border-2 px-3 py-1.5 text-sm',
};

/** The look of the button that turns the flag off, by size. */
const OFF_TONES = {
  small: 'border-danger text-danger hover:bg-danger/15',
  large: 'border-danger bg-danger-strong text-white hover:brightness-110',
};

/**
 * A flag's switch in one environment, the same everywhere (flag list, flag editor, live
 * monitor): one press asks to confirm (with an optional comment for the history and the
 * audit), the confirmation acts at once, and "off" shows only once the backend says so.
 * Turning off is open to anyone signed in; turning back on to editors.
 */
export function FlagSwitch({
  flagKey,
  environment,
  state,
  onSwitched,
  size = 'small',
  offOnly = false,
  timing,
}: FlagSwitchProps) {
  const canWrite = useCan('flag.write');
  const [asking, setAsking] = useState(false);
  const { status, press } = useFlagSwitch(flagKey, environment, timing);
  const working = status.phase === 'pending';
  const target: FlagState = state === 'on' ? 'off' : 'on';
  const allowed = target === 'off' || (canWrite && !offOnly);
  const verb = target === 'off' ? 'Turn off' : 'Turn on';
  return (
    <div className="flex flex-col items-start gap-1">
      {allowed && (
        <button
          type="button"
          aria-label={`${verb} ${flagKey} in ${environment}`}
          aria-busy={working}
          disabled={working}
          onClick={() => setAsking(true)}
          className={`${SIZES[size]} font-bold disabled:opacity-60 ${
            target === 'off' ? OFF_TONES[size] : 'border-line hover:border-ok'
          }`}
        >
          {verb}
        </button>
      )}
      {asking && (
        <FlagSwitchDialog
          flagKey={flagKey}
          environment={environment}
          target={target}
          onCancel={() => setAsking(false)}
          onConfirm={(comment) => {
            setAsking(false);
            press({ state: target, comment }, onSwitched);
          }}
        />
      )}
      <FlagSwitchStatus status={status} flagKey={flagKey} environment={environment} />
    </div>
  );
}
