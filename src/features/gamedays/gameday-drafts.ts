import { z } from 'zod';
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import { HYPOTHESIS_VERDICTS, PARTICIPANT_ROLES } from '@/domain/gamedays';
import { draftVersion, readStoredDraft, readStoredDrafts } from '@/lib/stored-drafts';
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

/**
 * The shape of the stored drafts: `{ plan, notes, findings }`. 0 (none): written before drafts
 * were read with a schema; 1: the same shape, each draft checked as it is read.
 */
const GAMEDAY_DRAFTS_VERSION = 1;

/**
 * A plan as stored: text and times as typed (the form checks them and names what is wrong), so
 * only the shape the form reads without checking is checked here.
 */
const storedPlanSchema = z.looseObject({
  title: z.string(),
  description: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  participants: z.array(z.looseObject({ name: z.string(), role: z.enum(PARTICIPANT_ROLES) })),
  experimentIds: z.array(z.string()),
  runbook: z.array(
    z.looseObject({
      id: z.string().optional(),
      text: z.string(),
      experimentId: z.string().nullable(),
    }),
  ),
});

const storedFindingsSchema = z.object({
  draft: z.looseObject({
    broke: z.string(),
    surprised: z.string(),
    followUps: z.array(z.looseObject({ action: z.string(), owner: z.string(), done: z.boolean() })),
    outcomes: z.record(
      z.string(),
      z.looseObject({ verdict: z.enum(HYPOTHESIS_VERDICTS), comment: z.string() }).optional(),
    ),
  }),
  base: z.string(),
});

/** The stored drafts that read cleanly; each one that does not is dropped with a warning. */
function readGamedayDrafts(persisted: unknown): Pick<GamedayDrafts, 'plan' | 'notes' | 'findings'> {
  const stored = z
    .object({ plan: z.unknown(), notes: z.unknown(), findings: z.unknown() })
    .safeParse(persisted);
  if (!stored.success) return initial;
  const { plan, notes, findings } = stored.data;
  return {
    plan:
      plan === null || plan === undefined
        ? null
        : readStoredDraft<PlanDraft>(storedPlanSchema, plan, 'game day plan'),
    notes: readStoredDrafts<string>(z.string(), notes, 'game day note').drafts,
    findings: readStoredDrafts<GamedayDrafts['findings'][string]>(
      storedFindingsSchema,
      findings,
      'game day findings',
    ).drafts,
  };
}

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
    {
      name: 'faultline.gameday-drafts',
      ...draftVersion(GAMEDAY_DRAFTS_VERSION),
      storage: createJSONStorage(() => sessionStorage),
      partialize: ({ plan, notes, findings }) => ({ plan, notes, findings }),
      merge: (persisted, current) => ({ ...current, ...readGamedayDrafts(persisted) }),
    },
  ),
);

export function resetGamedayDrafts(): void {
  useGamedayDrafts.setState(initial);
}
