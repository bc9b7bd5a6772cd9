import { z } from 'zod';
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import { FLAG_TYPES } from '@/domain/flags';
import { draftVersion, readStoredDrafts } from '@/lib/stored-drafts';
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
 * The shape of the stored drafts: `{ drafts: { [key]: StoredFlagDraft } }`. 0 (none): written
 * before drafts were read with a schema; 1: the same shape, each draft checked with
 * `storedFlagDraftSchema` as it is read.
 */
const FLAG_DRAFTS_VERSION = 1;

const targetingDraftSchema = z.looseObject({
  state: z.enum(['on', 'off']),
  rules: z.array(
    z.looseObject({
      conditions: z.array(z.looseObject({ operator: z.string() })),
      serve: z.discriminatedUnion('kind', [
        z.looseObject({ kind: z.literal('variant'), variant: z.string() }),
        z.looseObject({
          kind: z.literal('rollout'),
          split: z.array(z.looseObject({ variant: z.string(), weight: z.number() })),
        }),
      ]),
    }),
  ),
});

/**
 * A flag draft as stored. Its values are text as typed (the editor checks them and names what
 * is wrong), so only the shape the editor reads without checking is checked here.
 */
const storedFlagDraftSchema = z.object({
  draft: z.looseObject({
    key: z.string(),
    description: z.string(),
    servicesText: z.string(),
    type: z.enum(FLAG_TYPES),
    variants: z.array(z.looseObject({ name: z.string(), text: z.string() })),
    defaultVariant: z.string().nullable(),
    offVariant: z.string(),
    fallbackText: z.string(),
    environments: z.looseObject({
      development: targetingDraftSchema,
      testing: targetingDraftSchema,
      staging: targetingDraftSchema,
      production: targetingDraftSchema,
    }),
  }),
  baseVersion: z.number().int().nullable(),
});

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
      ...draftVersion(FLAG_DRAFTS_VERSION),
      storage: createJSONStorage(() => localStorage),
      partialize: ({ drafts }) => ({ drafts }),
      // A draft that cannot be read is dropped (with a warning); the next change writes back the rest.
      merge: (persisted, current) => {
        const stored = z.object({ drafts: z.unknown() }).safeParse(persisted);
        if (!stored.success) return current;
        const { drafts } = readStoredDrafts<StoredFlagDraft>(
          storedFlagDraftSchema,
          stored.data.drafts,
          'flag draft',
        );
        return { ...current, drafts };
      },
    },
  ),
);

export function resetFlagDrafts(): void {
  useFlagDrafts.setState({ drafts: {} });
}
