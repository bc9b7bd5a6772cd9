import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import type { ExperimentSpecInput } from '@/domain';

/** Where a draft started: blank, a template, a copy of an earlier experiment, or the next stage of one. */
export type DraftOrigin =
  | { kind: 'blank' }
  | { kind: 'template'; templateId: string }
  | { kind: 'import' }
  | { kind: 'duplicate'; experimentId: string }
  | { kind: 'next-environment'; experimentId: string; lineageId: string };

export interface Draft {
  spec: ExperimentSpecInput;
  origin: DraftOrigin;
  /** The server's experiment this draft edits, once saved there. */
  experimentId: string | null;
  /** The version the server holds; an update names it (stale: 409). */
  version: number | null;
  /** The spec as last saved on the server (JSON), or as it started; anything else is unsaved. */
  savedSpec: string | null;
  /** epoch ms of the last keystroke */
  updatedAt: number;
}

interface DraftState {
  drafts: Record<string, Draft>;
  putDraft: (key: string, draft: Draft) => void;
  updateSpec: (key: string, update: (spec: ExperimentSpecInput) => ExperimentSpecInput) => void;
  markSaved: (
    key: string,
    saved: { experimentId: string; version: number; spec: ExperimentSpecInput },
  ) => void;
  discardDraft: (key: string) => void;
}

/**
 * What the user typed in the designer, saved on every change and kept across reloads
 * (principle 5: what the user typed is never lost). Keyed by "new", "edit:<id>", "duplicate:<id>", …
 */
export const useDrafts = create<DraftState>()(
  persist(
    (set) => ({
      drafts: {},
      putDraft: (key, draft) => set((s) => ({ drafts: { ...s.drafts, [key]: draft } })),
      updateSpec: (key, update) =>
        set((s) => {
          const draft = s.drafts[key];
          if (!draft) return s;
          return {
            drafts: {
              ...s.drafts,
              [key]: { ...draft, spec: update(draft.spec), updatedAt: Date.now() },
            },
          };
        }),
      markSaved: (key, { experimentId, version, spec }) =>
        set((s) => {
          const draft = s.drafts[key];
          if (!draft) return s;
          // The form continues from what the server holds, so "unsaved" compares like with like.
          return {
            drafts: {
              ...s.drafts,
              [key]: { ...draft, spec, experimentId, version, savedSpec: JSON.stringify(spec) },
            },
          };
        }),
      discardDraft: (key) =>
        set((s) => {
          const { [key]: _discarded, ...rest } = s.drafts;
          return { drafts: rest };
        }),
    }),
    {
      name: 'faultline.drafts',
      version: 1,
      storage: createJSONStorage(() => localStorage),
      partialize: ({ drafts }) => ({ drafts }),
      // Pruned in memory on load; the next change to any draft writes the pruned set back.
      merge: (persisted, current) => ({
        ...current,
        drafts: pruneDrafts(persistedDrafts(persisted), Date.now()),
      }),
    },
  ),
);

/** A draft with nothing unsaved, untouched this long, is dropped when the page loads. */
export const UNCHANGED_DRAFT_KEPT_MS = 24 * 60 * 60 * 1000;

function persistedDrafts(persisted: unknown): Record<string, Draft> {
  if (typeof persisted !== 'object' || persisted === null || !('drafts' in persisted)) return {};
  const { drafts } = persisted;
  return typeof drafts === 'object' && drafts !== null ? (drafts as Record<string, Draft>) : {};
}

/**
 * The drafts worth keeping in the browser: every one with changes the server does not have,
 * whatever its age (what the user typed is never lost), and the unchanged ones from the last
 * day. An unchanged draft only repeats what it started from or what the server holds, so the
 * designer builds it again when the page is next opened; without this, every experiment ever
 * opened, copied or promoted would stay in localStorage.
 */
export function pruneDrafts(drafts: Record<string, Draft>, now: number): Record<string, Draft> {
  return Object.fromEntries(
    Object.entries(drafts).filter(
      ([, draft]) => hasUnsavedChanges(draft) || now - draft.updatedAt < UNCHANGED_DRAFT_KEPT_MS,
    ),
  );
}

/** True when the draft holds changes the server does not have. */
export function hasUnsavedChanges(draft: Draft | undefined): boolean {
  if (!draft) return false;
  return draft.savedSpec !== JSON.stringify(draft.spec);
}

/** A draft as it starts: nothing in it is unsaved yet. */
export function newDraft(
  spec: ExperimentSpecInput,
  origin: DraftOrigin,
  saved?: { experimentId: string; version: number },
): Draft {
  return {
    spec,
    origin,
    experimentId: saved?.experimentId ?? null,
    version: saved?.version ?? null,
    savedSpec: JSON.stringify(spec),
    updatedAt: Date.now(),
  };
}

export function resetDrafts(): void {
  useDrafts.setState({ drafts: {} });
}
