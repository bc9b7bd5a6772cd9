import { useEffect } from 'react';
import { useViewSettings } from '@/lib/view-settings';

/** Dark by default; light on request, remembered. The button names the theme it switches to. */
export function ThemeToggle() {
  const theme = useViewSettings((s) => s.theme);
  const toggleTheme = useViewSettings((s) => s.toggleTheme);
  useEffect(() => {
    document.documentElement.classList.toggle('light', theme === 'light');
  }, [theme]);
  return (
    <button
      type="button"
      onClick={toggleTheme}
      className="rounded-md border border-line px-2 py-1 text-sm hover:border-muted"
    >
      {theme === 'light' ? 'Dark theme' : 'Light theme'}
    </button>
  );
}
