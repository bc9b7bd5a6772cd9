import { describe, expect, it } from 'vitest';
import {
  applyRunbookEdit,
  gamedayPhase,
  gamedaySpecSchema,
  keepOutcomesFor,
  tickStep,
  writeFindingsSchema,
  type GamedaySpecInput,
  type RunbookStep,
} from '../../src/domain';

const NINE = Date.UTC(2025, 0, 6, 9, 0);
const HOUR = 3_600_000;

function spec(overrides: Partial<GamedaySpecInput> = {}): GamedaySpecInput {
  return {
    title: 'Checkout resilience',
    startsAt: NINE,
    endsAt: NINE + 2 * HOUR,
    participants: [
      { name: 'sam-sre', role: 'coordinator' },
      { name: 'dev-dana', role: 'scribe' },
    ],
    experimentIds: ['exp-a', 'exp-b'],
    runbook: [
      { text: 'Announce the game day in #ops' },
      { text: 'Start CPU 50 % on checkout/staging', experimentId: 'exp-a' },
    ],
    ...overrides,
  };
}

describe('game day validation', () => {
  it('accepts a plan with participants, two experiments and a runbook', () => {
    const parsed = gamedaySpecSchema.parse(spec());
    expect(parsed.runbook[0]?.experimentId).toBeNull();
    expect(parsed.description).toBe('');
  });

  it.each([
    [{ title: ' ' }, 'title', 'cannot be empty'],
    [{ endsAt: NINE }, 'endsAt', 'after the start'],
    [{ endsAt: NINE - HOUR }, 'endsAt', 'after the start'],
    [{ endsAt: NINE + 8 * 24 * HOUR }, 'endsAt', 'at most 7 days'],
    [{ startsAt: undefined }, 'startsAt', 'when the game day starts'],
    [{ participants: [{ name: 'sam', role: 'boss' }] }, 'participants.0.role', ''],
    [
      {
        participants: [
          { name: 'sam', role: 'operator' },
          { name: 'sam', role: 'scribe' },
        ],
      },
      'participants.1',
      'listed twice',
    ],
    [{ experimentIds: ['exp-a', 'exp-a'] }, 'experimentIds.1', 'listed twice'],
    [{ runbook: [{ text: '' }] }, 'runbook.0.text', 'cannot be empty'],
    [
      { runbook: [{ text: 'Start it', experimentId: 'exp-z' }] },
      'runbook.0.experimentId',
      'experiment of this game day',
    ],
  ])('rejects %j at %s', (override, path, words) => {
    const result = gamedaySpecSchema.safeParse({ ...spec(), ...override });
    expect(result.success).toBe(false);
    const issue = result.error?.issues.find((i) => i.path.join('.') === path);
    expect(issue, JSON.stringify(result.error?.issues)).toBeDefined();
    expect(issue?.message).toContain(words);
  });

  it('refuses two outcomes for the same experiment', () => {
    const result = writeFindingsSchema.safeParse({
      version: 1,
      findings: {},
      hypothesisOutcomes: [
        { experimentId: 'exp-a', verdict: 'confirmed' },
        { experimentId: 'exp-a', verdict: 'refuted' },
      ],
    });
    expect(result.error?.issues[0]?.path.join('.')).toBe('hypothesisOutcomes.1');
  });

  it('names a follow-up without an owner', () => {
    const result = writeFindingsSchema.safeParse({
      version: 1,
      findings: { followUps: [{ action: 'Add a retry budget', owner: '' }] },
    });
    expect(result.error?.issues[0]?.path.join('.')).toBe('findings.followUps.0.owner');
  });
});

describe('game day phase', () => {
  it.each([
    [NINE - 1, 'scheduled'],
    [NINE, 'in-progress'],
    [NINE + 2 * HOUR - 1, 'in-progress'],
    [NINE + 2 * HOUR, 'finished'],
  ] as const)('at %d it is %s', (now, phase) => {
    expect(gamedayPhase({ startsAt: NINE, endsAt: NINE + 2 * HOUR }, now)).toBe(phase);
  });
});

describe('runbook', () => {
  const open = (id: string, text: string): RunbookStep => ({
    id,
    text,
    experimentId: null,
    tickedBy: null,
    tickedAt: null,
  });

  it('records who ticked a step and when, and clears both when unticked', () => {
    const ticked = tickStep(
      [open('s1', 'one'), open('s2', 'two')],
      's2',
      true,
      'sam-sre',
      NINE + 60_000,
    );
    expect(ticked[1]).toMatchObject({ tickedBy: 'sam-sre', tickedAt: NINE + 60_000 });
    expect(ticked[0]).toMatchObject({ tickedBy: null, tickedAt: null });
    expect(tickStep(ticked, 's2', false, 'dev-dana', NINE + 120_000)[1]).toMatchObject({
      tickedBy: null,
      tickedAt: null,
    });
  });

  it('keeps ticks of surviving steps through an edit and opens new ones', () => {
    const before = tickStep([open('s1', 'one'), open('s2', 'two')], 's1', true, 'sam-sre', NINE);
    let n = 0;
    const after = applyRunbookEdit(
      before,
      [
        { text: 'zero', experimentId: null },
        { id: 's1', text: 'one, reworded', experimentId: null },
      ],
      () => `new-${++n}`,
    );
    expect(after.map((s) => [s.id, s.text, s.tickedBy])).toEqual([
      ['new-1', 'zero', null],
      ['s1', 'one, reworded', 'sam-sre'],
    ]);
  });

  it('gives a step listed twice with the same id a fresh id the second time', () => {
    const after = applyRunbookEdit(
      [open('s1', 'one')],
      [
        { id: 's1', text: 'a', experimentId: null },
        { id: 's1', text: 'b', experimentId: null },
      ],
      () => 'fresh',
    );
    expect(after.map((s) => s.id)).toEqual(['s1', 'fresh']);
  });
});

describe('hypothesis outcomes', () => {
  it('keeps outcomes only for listed experiments, in the game day order', () => {
    const outcomes = keepOutcomesFor(
      ['b', 'a'],
      [
        { experimentId: 'a', verdict: 'confirmed', comment: '' },
        { experimentId: 'gone', verdict: 'refuted', comment: '' },
        { experimentId: 'b', verdict: 'inconclusive', comment: '' },
      ],
    );
    expect(outcomes.map((o) => o.experimentId)).toEqual(['b', 'a']);
  });
});
