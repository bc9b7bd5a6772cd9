import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import type { FindingsDraft } from './findings-draft';
import type { PlanDraft } from './plan-draft';

interface GamedayDrafts {
  /** A plan being written for a new game day. */
  plan: PlanDraft | null;
  /** Notes being typed, per game day id. */
  notes: Record<string, string>;
  /** Findings being written, per game day id, with the stored findings they started from (JSON). */
  findings: Record<string, { draft: FindingsDraft; base: string }>;
  setPlan(plan: PlanDraft | null): void;
  setNote(gamedayId: string, text: string): void;
  setFindings(gamedayId: string, entry: { draft: FindingsDraft; base: string } | null): void;
}

const initial = { plan: null, notes: {}, findings: {} };

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
      setFindings: (gamedayId, entry) =>
        set((state) => {
          const findings = { ...state.findings };
          if (entry === null) delete findings[gamedayId];
          else findings[gamedayId] = entry;
          return { findings };
        }),
    }),
    { name: 'faultline.gameday-drafts', storage: createJSONStorage(() => sessionStorage) },
  ),
);

export function resetGamedayDrafts(): void {
  useGamedayDrafts.setState(initial);
}
