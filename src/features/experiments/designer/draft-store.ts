import { z } from 'zod';
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import type { ExperimentSpecInput } from '@/domain';
import { draftVersion, readStoredDrafts } from '@/lib/stored-drafts';

/** Where a draft started: blank, a template, a copy of an earlier experiment, or the next stage of one. */
type DraftOrigin =
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
  /** Stored drafts that could not be read when the page loaded (dropped), by key. */
  dropped: string[];
  putDraft: (key: string, draft: Draft) => void;
  updateSpec: (key: string, update: (spec: ExperimentSpecInput) => ExperimentSpecInput) => void;
  markSaved: (
    key: string,
    saved: { experimentId: string; version: number; spec: ExperimentSpecInput },
  ) => void;
  discardDraft: (key: string) => void;
}

/**
 * The shape of the stored drafts. 1: `{ drafts: { [key]: Draft } }`, written before drafts
 * were read with a schema; 2: the same shape, each draft checked with `storedDraftSchema` as it
 * is read. Versions 0 (none) and 1 hold the drafts in the shape version 2 reads.
 */
const DRAFTS_VERSION = 2;

const draftOriginSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('blank') }),
  z.object({ kind: z.literal('template'), templateId: z.string() }),
  z.object({ kind: z.literal('import') }),
  z.object({ kind: z.literal('duplicate'), experimentId: z.string() }),
  z.object({
    kind: z.literal('next-environment'),
    experimentId: z.string(),
    lineageId: z.string(),
  }),
]);

/**
 * A draft as stored. The spec is what someone typed, complete or not (the designer's form
 * validates it and names what is missing), so only what the form reads without checking is
 * checked here: a draft that fails this would crash the designer, and is dropped instead.
 */
const storedDraftSchema = z.object({
  spec: z.looseObject({
    name: z.string(),
    hypothesis: z.string(),
    steps: z.array(z.looseObject({})),
    abortConditions: z.array(z.looseObject({})),
    blastRadius: z.looseObject({}),
    attack: z.looseObject({ type: z.string() }),
  }),
  origin: draftOriginSchema,
  experimentId: z.string().nullable(),
  version: z.number().int().nullable(),
  savedSpec: z.string().nullable(),
  updatedAt: z.number(),
});

/** The stored drafts that read cleanly, and the keys of those that did not (dropped, with a warning). */
function readDrafts(persisted: unknown): { drafts: Record<string, Draft>; dropped: string[] } {
  const stored = z.object({ drafts: z.unknown() }).safeParse(persisted);
  if (!stored.success) return { drafts: {}, dropped: [] };
  return readStoredDrafts<Draft>(storedDraftSchema, stored.data.drafts, 'draft');
}

/**
 * What the user typed in the designer, saved on every change and kept across reloads
 * (principle 5: what the user typed is never lost). Keyed by "new", "edit:<id>", "duplicate:<id>", …
 */
export const useDrafts = create<DraftState>()(
  persist(
    (set) => ({
      drafts: {},
      dropped: [],
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
      ...draftVersion(DRAFTS_VERSION),
      storage: createJSONStorage(() => localStorage),
      partialize: ({ drafts }) => ({ drafts }),
      // Read draft by draft and pruned in memory on load; the next change to any draft writes
      // the kept set back.
      merge: (persisted, current) => {
        const { drafts, dropped } = readDrafts(persisted);
        return { ...current, drafts: pruneDrafts(drafts, Date.now()), dropped };
      },
    },
  ),
);

/** A draft with nothing unsaved, untouched this long, is dropped when the page loads. */
export const UNCHANGED_DRAFT_KEPT_MS = 24 * 60 * 60 * 1000;

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
  useDrafts.setState({ drafts: {}, dropped: [] });
}
