import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import type { FlagDraft } from './flag-draft';

interface StoredFlagDraft {
  draft: FlagDraft;
  /** The version the draft was made from; a save names it (stale: 409). Null for a new flag. */
  baseVersion: number | null;
}

interface FlagDraftState {
  drafts: Record<string, StoredFlagDraft>;
  put: (key: string, stored: StoredFlagDraft) => void;
  discard: (key: string) => void;
}

/**
 * What the user typed in the flag editor, saved on every change and kept across reloads
 * (what the user typed is never lost). Keyed by "new" or "edit:<flag key>".
 */
export const useFlagDrafts = create<FlagDraftState>()(
  persist(
    (set) => ({
      drafts: {},
      put: (key, stored) => set((s) => ({ drafts: { ...s.drafts, [key]: stored } })),
      discard: (key) =>
        set((s) => {
          const { [key]: _discarded, ...rest } = s.drafts;
          return { drafts: rest };
        }),
    }),
    {
      name: 'faultline.flag-drafts',
      storage: createJSONStorage(() => localStorage),
      partialize: ({ drafts }) => ({ drafts }),
    },
  ),
);

export function resetFlagDrafts(): void {
  useFlagDrafts.setState({ drafts: {} });
}
