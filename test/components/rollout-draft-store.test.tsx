import { afterEach, describe, expect, it, vi } from 'vitest';
import { resetRolloutDraft, useRolloutDraft } from '@/features/rollouts/designer/rollout-draft';

const KEY = 'faultline.rollout-draft';

afterEach(() => {
  localStorage.clear();
  resetRolloutDraft();
});

async function reload(state: unknown, version: number) {
  localStorage.setItem(KEY, JSON.stringify({ state, version }));
  await useRolloutDraft.persist.rehydrate();
  return useRolloutDraft.getState().draft;
}

describe('the rollout designer’s draft in the browser', () => {
  it('reads what was typed back, with the blank draft’s values for fields it lacks', async () => {
    resetRolloutDraft();
    const blank = useRolloutDraft.getState().draft;
    // An empty box is stored as no key; one that held text that is not a number as null.
    const draft = await reload(
      {
        draft: {
          kind: 'flag',
          name: 'New search',
          flagKey: 'new-search',
          steps: [{ weight: 10, waitSeconds: null, manual: false }],
          confidence: null,
        },
      },
      0,
    );
    expect(draft).toEqual({
      ...blank,
      kind: 'flag',
      name: 'New search',
      flagKey: 'new-search',
      steps: [{ weight: 10, waitSeconds: null, waitUntil: '', ends: 'wait' }],
      confidence: null,
    });
  });

  it('reads steps that end at a time or with a person, and those kept with the old checkbox', async () => {
    const steps = [
      { weight: 5, waitUntil: '2026-12-04T10:00', ends: 'time' },
      { weight: 25, ends: 'person' },
      { weight: 50, waitSeconds: 60, manual: false },
      { weight: 100, manual: true },
    ];
    const draft = await reload({ draft: { kind: 'canary', steps } }, 1);
    expect(draft.steps).toEqual([
      { weight: 5, waitSeconds: undefined, waitUntil: '2026-12-04T10:00', ends: 'time' },
      { weight: 25, waitSeconds: undefined, waitUntil: '', ends: 'person' },
      { weight: 50, waitSeconds: 60, waitUntil: '', ends: 'wait' },
      { weight: 100, waitSeconds: undefined, waitUntil: '', ends: 'person' },
    ]);
  });

  it('starts blank, with a warning, from a draft that cannot be read', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    resetRolloutDraft();
    const blank = useRolloutDraft.getState().draft;
    for (const stored of [
      { draft: { name: 'x', steps: 'five percent' } },
      { draft: { name: 'x', environment: 'moon' } },
      { draft: { name: 'x', metrics: ['happiness'] } },
      { draft: 'junk' },
    ]) {
      expect(await reload(stored, 1)).toEqual(blank);
    }
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining('rollout draft cannot be read'),
      expect.anything(),
    );
    warn.mockRestore();
  });
});
