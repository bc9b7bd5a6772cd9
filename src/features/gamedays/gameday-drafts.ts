import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import type { PlanDraft } from './plan-draft';

interface GamedayDrafts {
  /** A plan being written for a new game day. */
  plan: PlanDraft | null;
  /** Notes being typed, per game day id. */
  notes: Record<string, string>;
  setPlan(plan: PlanDraft | null): void;
  setNote(gamedayId: string, text: string): void;
}

const initial = { plan: null, notes: {} };

/** What someone typed survives a reload: kept in this tab's session storage until it is saved. */
export const useGamedayDrafts = create<GamedayDrafts>()(
  persist(
    (set) => ({
      ...initial,
      setPlan: (plan) => set({ plan }),
      setNote: (gamedayId, text) =>
        set((state) => {
          const notes = { ...state.notes };
          if (text === '') delete notes[gamedayId];
          else notes[gamedayId] = text;
          return { notes };
        }),
    }),
    { name: 'faultline.gameday-drafts', storage: createJSONStorage(() => sessionStorage) },
  ),
);

export function resetGamedayDrafts(): void {
  useGamedayDrafts.setState(initial);
}
