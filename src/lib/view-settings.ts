import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import type { Environment } from '@/domain/environments';

type Theme = 'dark' | 'light';
/** What "Halt all" stops: every running experiment, or only those in the environment in view. */
type HaltScope = 'everything' | 'environment';

interface ViewSettings {
  environment: Environment;
  theme: Theme;
  haltScope: HaltScope;
  setEnvironment: (environment: Environment) => void;
  toggleTheme: () => void;
  setHaltScope: (scope: HaltScope) => void;
}

const defaults = { environment: 'staging', theme: 'dark', haltScope: 'everything' } as const;

/** The browser's own view preferences, kept across reloads. */
export const useViewSettings = create<ViewSettings>()(
  persist(
    (set) => ({
      ...defaults,
      setEnvironment: (environment) => set({ environment }),
      toggleTheme: () => set((s) => ({ theme: s.theme === 'dark' ? 'light' : 'dark' })),
      setHaltScope: (haltScope) => set({ haltScope }),
    }),
    {
      name: 'faultline.view',
      storage: createJSONStorage(() => localStorage),
      partialize: ({ environment, theme, haltScope }) => ({ environment, theme, haltScope }),
    },
  ),
);

export function resetViewSettings(): void {
  useViewSettings.setState(defaults);
}
