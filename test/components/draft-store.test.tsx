import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  newDraft,
  pruneDrafts,
  resetDrafts,
  UNCHANGED_DRAFT_KEPT_MS,
  useDrafts,
  type Draft,
} from '@/features/experiments/designer/draft-store';
import { buildFromTemplate } from '@/domain';

const DAY = UNCHANGED_DRAFT_KEPT_MS;
const now = Date.UTC(2025, 0, 20, 12);

function draftAt(updatedAt: number, edited: boolean): Draft {
  const draft = {
    ...newDraft(
      buildFromTemplate('cpu-pressure', { service: 'checkout', environment: 'staging' }),
      { kind: 'blank' },
    ),
    updatedAt,
  };
  return edited
    ? { ...draft, spec: { ...draft.spec, name: `${draft.spec.name} (edited)` } }
    : draft;
}

beforeEach(() => {
  localStorage.clear();
  resetDrafts();
});

describe('the designer’s drafts in the browser', () => {
  it('keep every draft with unsaved changes, however old, and unchanged ones for a day', () => {
    const drafts = {
      new: draftAt(now - 90 * DAY, true),
      'edit:old': draftAt(now - DAY - 1, false),
      'edit:recent': draftAt(now - DAY + 60_000, false),
      'duplicate:typed-in': draftAt(now - 2 * DAY, true),
    };
    expect(Object.keys(pruneDrafts(drafts, now)).sort()).toEqual([
      'duplicate:typed-in',
      'edit:recent',
      'new',
    ]);
  });

  it('are pruned when the page loads, and the next change writes back only what was kept', async () => {
    const typed = draftAt(Date.now() - 30 * DAY, true);
    const stored = {
      state: { drafts: { new: typed, 'edit:exp-1': draftAt(Date.now() - 3 * DAY, false) } },
      version: 1,
    };
    localStorage.setItem('faultline.drafts', JSON.stringify(stored));

    await useDrafts.persist.rehydrate();

    expect(useDrafts.getState().drafts).toEqual({ new: typed });
    const opened = draftAt(Date.now(), false);
    useDrafts.getState().putDraft('edit:exp-2', opened);
    expect(JSON.parse(localStorage.getItem('faultline.drafts') ?? '{}')).toEqual({
      state: { drafts: { new: typed, 'edit:exp-2': opened } },
      version: 2,
    });
  });

  it('load as none when the stored value is not drafts', async () => {
    localStorage.setItem(
      'faultline.drafts',
      JSON.stringify({ state: { drafts: 'garbage' }, version: 1 }),
    );
    await useDrafts.persist.rehydrate();
    expect(useDrafts.getState().drafts).toEqual({});
  });

  it('read drafts stored in the version 1 shape, and write them back as version 2', async () => {
    const typed = draftAt(Date.now(), true);
    localStorage.setItem(
      'faultline.drafts',
      JSON.stringify({ state: { drafts: { new: typed } }, version: 1 }),
    );
    await useDrafts.persist.rehydrate();
    expect(useDrafts.getState().drafts).toEqual({ new: typed });
    useDrafts.getState().updateSpec('new', (spec) => ({ ...spec, notes: 'more' }));
    expect(JSON.parse(localStorage.getItem('faultline.drafts') ?? '{}').version).toBe(2);
  });

  it('drop a draft that cannot be read, say which, and keep the others', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const typed = draftAt(Date.now(), true);
    const { steps: _steps, ...withoutSteps } = typed.spec;
    localStorage.setItem(
      'faultline.drafts',
      JSON.stringify({
        state: {
          drafts: {
            new: typed,
            'edit:broken': { ...typed, spec: withoutSteps },
            'edit:odd': { ...typed, origin: { kind: 'from-mars' } },
            'edit:junk': 'not a draft',
          },
        },
        version: 2,
      }),
    );
    await useDrafts.persist.rehydrate();
    expect(useDrafts.getState().drafts).toEqual({ new: typed });
    expect(useDrafts.getState().dropped.sort()).toEqual(['edit:broken', 'edit:junk', 'edit:odd']);
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining('"edit:broken" cannot be read'),
      expect.anything(),
    );
    warn.mockRestore();
  });
});
