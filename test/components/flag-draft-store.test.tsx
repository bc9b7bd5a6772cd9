import { beforeEach, describe, expect, it, vi } from 'vitest';
import { newFlagDraft } from '@/features/flags/flag-draft';
import { resetFlagDrafts, useFlagDrafts } from '@/features/flags/flag-draft-store';

const KEY = 'faultline.flag-drafts';

function typed() {
  return {
    draft: { ...newFlagDraft(), key: 'new-search', description: 'half typ' },
    baseVersion: 3,
  };
}

beforeEach(() => {
  localStorage.clear();
  resetFlagDrafts();
});

describe('the flag editor’s drafts in the browser', () => {
  it('read drafts stored before they had a version, and write them back as version 1', async () => {
    const stored = typed();
    localStorage.setItem(
      KEY,
      JSON.stringify({ state: { drafts: { 'edit:x': stored } }, version: 0 }),
    );
    await useFlagDrafts.persist.rehydrate();
    expect(useFlagDrafts.getState().drafts).toEqual({ 'edit:x': stored });
    useFlagDrafts.getState().put('new', typed());
    expect(JSON.parse(localStorage.getItem(KEY) ?? '{}')).toEqual({
      state: { drafts: { 'edit:x': stored, new: typed() } },
      version: 1,
    });
  });

  it('drop a draft that cannot be read, say which, and keep the others', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const stored = typed();
    const { environments: _environments, ...withoutEnvironments } = stored.draft;
    localStorage.setItem(
      KEY,
      JSON.stringify({
        state: {
          drafts: {
            new: stored,
            'edit:no-environments': { ...stored, draft: withoutEnvironments },
            'edit:odd-type': { ...stored, draft: { ...stored.draft, type: 'colour' } },
            'edit:junk': 'not a draft',
          },
        },
        version: 1,
      }),
    );
    await useFlagDrafts.persist.rehydrate();
    expect(useFlagDrafts.getState().drafts).toEqual({ new: stored });
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining('flag draft "edit:no-environments" cannot be read'),
      expect.anything(),
    );
    warn.mockRestore();
  });

  it('load as none when the stored value is not drafts or comes from a newer release', async () => {
    localStorage.setItem(KEY, JSON.stringify({ state: { drafts: 'garbage' }, version: 1 }));
    await useFlagDrafts.persist.rehydrate();
    expect(useFlagDrafts.getState().drafts).toEqual({});
    localStorage.setItem(KEY, JSON.stringify({ state: { drafts: { new: typed() } }, version: 9 }));
    await useFlagDrafts.persist.rehydrate();
    expect(useFlagDrafts.getState().drafts).toEqual({});
  });
});
