import { afterEach, describe, expect, it, vi } from 'vitest';
import { resetGamedayDrafts, useGamedayDrafts } from '@/features/gamedays/gameday-drafts';
import { blankPlan } from '@/features/gamedays/plan-draft';

const KEY = 'faultline.gameday-drafts';
const plan = { ...blankPlan(Date.UTC(2025, 0, 20, 12), 'sam-sre'), title: 'Checkout game d' };
const findings = {
  draft: {
    broke: 'the cache',
    surprised: '',
    followUps: [{ action: 'add a timeout', owner: 'sam-sre', done: false }],
    outcomes: { 'exp-1': { verdict: 'confirmed', comment: '' } },
  },
  base: '{}',
};

afterEach(() => {
  sessionStorage.clear();
  resetGamedayDrafts();
});

async function reload(state: unknown, version: number) {
  sessionStorage.setItem(KEY, JSON.stringify({ state, version }));
  await useGamedayDrafts.persist.rehydrate();
  const { plan, notes, findings } = useGamedayDrafts.getState();
  return { plan, notes, findings };
}

describe('the game day drafts in the browser', () => {
  it('read a plan, notes and findings stored before they had a version, and write version 1', async () => {
    const state = {
      plan,
      notes: { 'gd-1': 'db failover at 10:02' },
      findings: { 'gd-1': findings },
    };
    expect(await reload(state, 0)).toEqual(state);
    useGamedayDrafts.getState().setNote('gd-2', 'more');
    const written = JSON.parse(sessionStorage.getItem(KEY) ?? '{}');
    expect(written.version).toBe(1);
    expect(written.state.notes).toEqual({ 'gd-1': 'db failover at 10:02', 'gd-2': 'more' });
  });

  it('drop each draft that cannot be read, say which, and keep the others', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const read = await reload(
      {
        plan: { ...plan, participants: 'sam' },
        notes: { 'gd-1': 'kept', 'gd-2': { text: 'not text' } },
        findings: {
          'gd-1': findings,
          'gd-2': {
            ...findings,
            draft: { ...findings.draft, outcomes: { x: { verdict: 'maybe' } } },
          },
        },
      },
      1,
    );
    expect(read).toEqual({ plan: null, notes: { 'gd-1': 'kept' }, findings: { 'gd-1': findings } });
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining('game day plan cannot be read'),
      expect.anything(),
    );
    warn.mockRestore();
  });

  it('load as none when the stored value is not drafts', async () => {
    expect(await reload('garbage', 1)).toEqual({ plan: null, notes: {}, findings: {} });
  });
});
