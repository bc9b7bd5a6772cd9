import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { draftVersion, readStoredDrafts } from '@/lib/stored-drafts';

describe('stored drafts, by version', () => {
  const { version, migrate } = draftVersion(3, {
    1: (stored) => ({ drafts: { moved: stored } }),
    2: (stored) => ({ ...(stored as object), at: 3 }),
  });

  it('step up one version at a time from the one they were stored in', () => {
    expect(version).toBe(3);
    expect(migrate({ text: 'typed' }, 1)).toEqual({ drafts: { moved: { text: 'typed' } }, at: 3 });
    expect(migrate({ drafts: {} }, 2)).toEqual({ drafts: {}, at: 3 });
  });

  it('pass a version whose shape did not change as it is', () => {
    expect(migrate({ drafts: { a: 1 } }, 0)).toEqual({
      drafts: { moved: { drafts: { a: 1 } } },
      at: 3,
    });
    expect(draftVersion(2).migrate({ drafts: { a: 1 } }, 0)).toEqual({ drafts: { a: 1 } });
  });

  it('read as nothing when stored by a newer release', () => {
    expect(migrate({ drafts: { a: 1 } }, 4)).toEqual({});
  });
});

describe('reading stored drafts', () => {
  it('keep those the schema accepts, as stored, and name the others', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const stored = { b: { text: 'x', extra: 1 }, a: { text: 2 }, c: 'junk' };
    const read = readStoredDrafts(z.object({ text: z.string() }), stored, 'note');
    // As stored: a key the schema does not list is kept.
    expect(read.drafts).toEqual({ b: { text: 'x', extra: 1 } });
    expect(read.dropped.sort()).toEqual(['a', 'c']);
    expect(warn).toHaveBeenCalledWith(
      'faultline: the saved note "a" cannot be read and was dropped',
      expect.anything(),
    );
    warn.mockRestore();
  });

  it('read a stored value that is no record as no drafts', () => {
    expect(readStoredDrafts(z.string(), 'garbage', 'note')).toEqual({ drafts: {}, dropped: [] });
    expect(readStoredDrafts(z.string(), undefined, 'note')).toEqual({ drafts: {}, dropped: [] });
  });
});
