import { describe, expect, it } from 'vitest';
import {
  orderTimeline,
  timelineDraftForEvent,
  timelineDraftForRollout,
  type Environment,
  type Experiment,
  type RolloutSpec,
  type StreamEvent,
  type TimelineEntry,
} from '../../src/domain';
import { cpuSpec, runningExperiment } from './fixtures';

const NINE = Date.UTC(2025, 0, 6, 9, 0);
const gameday = { startsAt: NINE, endsAt: NINE + 3_600_000, experimentIds: ['exp-1'] };

function ended(
  outcome: NonNullable<Experiment['run']>['outcome'],
  state: Experiment['state'],
): Experiment {
  const experiment = runningExperiment(cpuSpec(), NINE, ['h0', 'h1']);
  return { ...experiment, state, run: { ...experiment.run!, endedAt: NINE + 60_000, outcome } };
}

const condition = {
  kind: 'threshold',
  metric: 'http_5xx_rate',
  comparator: '>',
  threshold: 1,
  windowSeconds: 10,
  scope: 'target',
} as const;

describe('timeline lines from events', () => {
  it.each<[string, StreamEvent, string, string | null]>([
    [
      'a start',
      {
        type: 'experiment',
        change: 'started',
        experiment: runningExperiment(cpuSpec(), NINE, ['h0', 'h1']),
      },
      'Started “CPU pressure on checkout” on checkout/staging: 50 % on 2 instances',
      'sam-sre',
    ],
    [
      'a step',
      {
        type: 'experiment',
        change: 'stepped',
        experiment: {
          ...runningExperiment(cpuSpec(), NINE, ['h0']),
          run: { ...runningExperiment(cpuSpec(), NINE, ['h0']).run!, stepIndex: 1 },
        },
      },
      'moved to step 2 of 2: 60 %',
      null,
    ],
    [
      'an abort with its reason',
      {
        type: 'experiment',
        change: 'aborted',
        experiment: ended(
          {
            kind: 'aborted',
            at: NINE,
            conditionIndex: 0,
            condition,
            description: '5xx rate > 1 % for 10 s',
            value: 3.24,
            latest: 3.24,
          },
          'aborted',
        ),
      },
      'aborted: 5xx rate > 1 % for 10 s (reached 3.2 %); every injection removed',
      null,
    ],
    [
      'a halt by a person',
      {
        type: 'experiment',
        change: 'halted',
        experiment: ended({ kind: 'halted', at: NINE, by: 'dev-dana', haltAll: false }, 'halted'),
      },
      'halted by dev-dana',
      'dev-dana',
    ],
    [
      'halt all',
      { type: 'halt-all', by: 'sam-sre', halted: ['exp-1', 'exp-9'], environment: 'staging' },
      'sam-sre pressed halt all on staging: 2 experiments stopped',
      'sam-sre',
    ],
    [
      'a flag turned off',
      { type: 'resource', resource: 'flags', id: 'new-checkout', change: 'killed' },
      'Flag “new-checkout” turned off',
      null,
    ],
  ])('writes %s', (_name, event, words, by) => {
    const draft = timelineDraftForEvent(event, NINE + 1000, gameday);
    expect(draft?.text).toContain(words);
    expect(draft?.by).toBe(by);
    expect(draft?.at).toBe(NINE + 1000);
  });

  it('ignores events outside the window', () => {
    const event: StreamEvent = {
      type: 'experiment',
      change: 'started',
      experiment: runningExperiment(cpuSpec(), NINE, ['h0']),
    };
    expect(timelineDraftForEvent(event, NINE - 1, gameday)).toBeNull();
    expect(timelineDraftForEvent(event, NINE + 3_600_000, gameday)).toBeNull();
  });

  it('ignores experiments that are not part of the game day, and unrelated changes', () => {
    const other = { ...runningExperiment(cpuSpec(), NINE, ['h0']), id: 'exp-other' };
    expect(
      timelineDraftForEvent(
        { type: 'experiment', change: 'started', experiment: other },
        NINE,
        gameday,
      ),
    ).toBeNull();
    expect(
      timelineDraftForEvent(
        {
          type: 'experiment',
          change: 'updated',
          experiment: runningExperiment(cpuSpec(), NINE, []),
        },
        NINE,
        gameday,
      ),
    ).toBeNull();
    expect(
      timelineDraftForEvent(
        { type: 'resource', resource: 'flags', id: 'x', change: 'updated' },
        NINE,
        gameday,
      ),
    ).toBeNull();
    expect(
      timelineDraftForEvent({ type: 'metrics', t: NINE, samples: [] }, NINE, gameday),
    ).toBeNull();
  });
});

describe('timeline lines of rollouts held or paused by the one abort signal', () => {
  const canary = {
    kind: 'canary',
    name: 'Checkout 2.4.0',
    service: 'checkout',
    environment: 'staging',
    newVersion: '2.4.0',
  } as RolloutSpec;
  const onCheckout = [{ service: 'checkout', environment: 'staging' }] as const;
  const held = {
    spec: canary,
    state: 'held',
    reason: 'held: chaos experiment "CPU" aborted on checkout in staging',
  } as const;

  it('writes the rollout, its subject and its one reason', () => {
    expect(timelineDraftForRollout('held', held, NINE + 5, gameday, onCheckout)).toEqual({
      at: NINE + 5,
      kind: 'rollout-held',
      experimentId: null,
      text: 'Rollout “Checkout 2.4.0” (checkout 2.4.0 in staging) held: chaos experiment "CPU" aborted on checkout in staging',
      by: null,
    });
    const paused = { ...held, state: 'paused', reason: 'paused by halt all (sam-sre)' } as const;
    expect(timelineDraftForRollout('paused', paused, NINE, gameday, onCheckout)?.kind).toBe(
      'rollout-paused',
    );
  });

  it.each<
    [string, string, typeof held, number, readonly { service: string; environment: Environment }[]]
  >([
    [
      'no experiment of the game day is on its service',
      'held',
      held,
      NINE,
      [{ service: 'catalog', environment: 'staging' }],
    ],
    [
      'its experiments are on the service in another environment',
      'held',
      held,
      NINE,
      [{ service: 'checkout', environment: 'production' }],
    ],
    ['it is outside the window', 'held', held, NINE - 1, onCheckout],
    ['a person paused it (another change)', 'rollout.pause', held, NINE, onCheckout],
    ['it has moved on since', 'paused', held, NINE, onCheckout],
  ])('writes nothing when %s', (_name, change, rollout, at, exercised) => {
    expect(timelineDraftForRollout(change, rollout, at, gameday, exercised)).toBeNull();
  });
});

describe('timeline order', () => {
  const entry = (id: string, at: number, kind: TimelineEntry['kind']): TimelineEntry => ({
    id,
    gamedayId: 'g',
    at,
    kind,
    experimentId: null,
    text: id,
    by: null,
  });

  it('orders events and notes by time, then by the order they were recorded', () => {
    const ordered = orderTimeline([
      entry('10', NINE + 5, 'note'),
      entry('2', NINE + 5, 'aborted'),
      entry('11', NINE, 'started'),
      entry('9', NINE + 9, 'note'),
    ]);
    expect(ordered.map((e) => e.id)).toEqual(['11', '2', '10', '9']);
  });
});
