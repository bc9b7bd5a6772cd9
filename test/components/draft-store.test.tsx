import { beforeEach, describe, expect, it } from 'vitest';
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
      version: 1,
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
});
