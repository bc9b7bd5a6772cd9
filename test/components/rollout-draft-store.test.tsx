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
      steps: [{ weight: 10, waitSeconds: null, manual: false }],
      confidence: null,
    });
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
