import { z } from 'zod';

/** From the stored shape of one version to the next one's. */
type Upgrade = (stored: unknown) => unknown;

/**
 * The `version` and `migrate` of a zustand `persist` store of drafts. A store older than
 * `version` steps up one version at a time through `upgrades` (keyed by the version it
 * leaves; a version with none kept its shape); a store from a newer release reads as nothing.
 * Either way the store's `merge` then reads each draft with its schema.
 */
export function draftVersion(
  version: number,
  upgrades: Readonly<Record<number, Upgrade>> = {},
): { version: number; migrate: (persisted: unknown, from: number) => unknown } {
  return {
    version,
    migrate: (persisted, from) => {
      if (from > version) return {};
      let stored = persisted;
      for (let at = from; at < version; at++) stored = upgrades[at]?.(stored) ?? stored;
      return stored;
    },
  };
}

/**
 * One stored draft, if `schema` accepts it. The schema checks what the form reads without
 * checking (a draft is what someone typed, complete or not: the form validates the rest); a
 * draft that fails it would crash the page, so it is dropped with a warning instead. The
 * value is kept as stored, not as parsed: key order counts where a draft is compared by its JSON.
 */
export function readStoredDraft<Draft>(
  schema: z.ZodType,
  value: unknown,
  name: string,
): Draft | null {
  const read = schema.safeParse(value);
  if (read.success) return value as Draft;
  console.warn(`faultline: the saved ${name} cannot be read and was dropped`, read.error);
  return null;
}

/** Stored drafts by key: those `schema` accepts, and the keys of those it does not. */
export function readStoredDrafts<Draft>(
  schema: z.ZodType,
  value: unknown,
  name: string,
): { drafts: Record<string, Draft>; dropped: string[] } {
  const stored = z.record(z.string(), z.unknown()).safeParse(value);
  if (!stored.success) return { drafts: {}, dropped: [] };
  const drafts: Record<string, Draft> = {};
  const dropped: string[] = [];
  for (const [key, entry] of Object.entries(stored.data)) {
    const draft = readStoredDraft<Draft>(schema, entry, `${name} "${key}"`);
    if (draft === null) dropped.push(key);
    else drafts[key] = draft;
  }
  return { drafts, dropped };
}
