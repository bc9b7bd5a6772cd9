import { useEffect } from 'react';

/** The documented shortcut for Halt all. */
export const HALT_ALL_SHORTCUT = 'Shift+H';

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  return ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** Shift+H anywhere but inside a field (where it is a capital H someone is typing). */
export function useHaltAllShortcut(onHaltAll: () => void): void {
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.repeat || event.ctrlKey || event.metaKey || event.altKey || !event.shiftKey) return;
      if (event.key !== 'H' && event.key !== 'h') return;
      if (isTyping(event.target)) return;
      event.preventDefault();
      onHaltAll();
    }
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [onHaltAll]);
}
