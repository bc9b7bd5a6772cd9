import { useCallback, useId, useState } from 'react';
import { useHasCapability } from '@/lib/backend-context';
import { useViewSettings } from '@/lib/view-settings';
import { HaltAllStatus } from './halt-all-status';
import type { StopTiming } from '@/lib/use-stop';
import { useHaltAll } from './use-halt-all';
import { HALT_ALL_SHORTCUT, useHaltAllShortcut } from './use-halt-all-shortcut';

/**
 * The kill switch: one press stops every running experiment (in scope), no dialog, for
 * every signed-in person. Shift+H presses it from anywhere outside a text field. Ticked, it
 * also turns off the flags the halted experiments inherited their blast radius from, for that
 * press only: the box unticks itself, so a later press never turns flags off unawares. What
 * it did is written left of the button, at a fixed width, so the button never moves.
 */
export function KillSwitch({ timing }: { timing?: StopTiming }) {
  const scopeId = useId();
  const environment = useViewSettings((s) => s.environment);
  const haltScope = useViewSettings((s) => s.haltScope);
  const setHaltScope = useViewSettings((s) => s.setHaltScope);
  const hasFlags = useHasCapability('flags');
  const [killFlags, setKillFlags] = useState(false);
  const { status, haltAll } = useHaltAll(timing);

  const press = useCallback(() => {
    haltAll({
      ...(haltScope === 'environment' ? { environment } : {}),
      ...(killFlags && hasFlags ? { killFlags: true } : {}),
    });
    setKillFlags(false);
  }, [haltAll, haltScope, environment, killFlags, hasFlags]);
  useHaltAllShortcut(press);

  const working = status.phase === 'pending';
  return (
    <div className="flex flex-wrap items-center gap-2 sm:flex-nowrap md:gap-3">
      <HaltAllStatus status={status} />
      <button
        type="button"
        onClick={press}
        aria-keyshortcuts={HALT_ALL_SHORTCUT}
        aria-busy={working}
        title={`Stop every running experiment in scope (${HALT_ALL_SHORTCUT})`}
        className={
          'rounded-lg border-2 border-white/80 bg-danger-strong px-3 py-1.5 text-base font-black ' +
          'whitespace-nowrap uppercase tracking-wider text-white md:px-5 md:py-2.5 md:text-lg ' +
          'shadow-[0_0_0_3px_var(--fl-danger)] hover:brightness-110 active:translate-y-px'
        }
      >
        <span aria-hidden="true" className="mr-2">
          ■
        </span>
        Halt all
      </button>
      <div className="flex flex-col text-xs">
        <label htmlFor={scopeId} className="flex justify-between gap-2 text-muted">
          Scope
          <span
            aria-hidden="true"
            title="Keyboard shortcut for Halt all"
            className="hidden md:inline"
          >
            <kbd className="rounded border border-line px-1 font-mono">{HALT_ALL_SHORTCUT}</kbd>
          </span>
        </label>
        <select
          id={scopeId}
          value={haltScope}
          onChange={(e) =>
            setHaltScope(e.target.value === 'environment' ? 'environment' : 'everything')
          }
          className="rounded border border-line bg-raised px-1 py-0.5"
        >
          <option value="everything">everything</option>
          <option value="environment">only {environment}</option>
        </select>
        {hasFlags && (
          <label
            className="mt-0.5 flex items-center gap-1 text-muted"
            title="Also turn off, in their environments, the flags the halted experiments inherited their blast radius from"
          >
            <input
              type="checkbox"
              checked={killFlags}
              onChange={(e) => setKillFlags(e.target.checked)}
            />
            also turn off inherited flags
            {killFlags && <span className="font-semibold text-warn">(next press)</span>}
          </label>
        )}
      </div>
    </div>
  );
}
