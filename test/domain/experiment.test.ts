import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  activeInjections,
  canTransition,
  EXPERIMENT_STATES,
  experimentSpecSchema,
  isTerminal,
  rampSchedule,
  stepAt,
  totalDurationSeconds,
  transition,
  TransitionError,
  type ExperimentState,
} from '../../src/domain';
import { cpuSpec, runningExperiment } from './fixtures';

describe('experiment validation', () => {
  it('accepts the sample CPU experiment', () => {
    expect(experimentSpecSchema.safeParse(cpuSpec()).success).toBe(true);
  });

  it.each([
    [
      { steps: [{ magnitude: 120, durationSeconds: 60 }] },
      'steps.0.magnitude',
      'between 1 and 100 %',
    ],
    [{ steps: [{ durationSeconds: 60 }] }, 'steps.0.magnitude', 'required'],
    [{ steps: [{ magnitude: 50, durationSeconds: 0 }] }, 'steps.0.durationSeconds', 'at least 1 s'],
    [{ steps: [] }, 'steps', 'at least one step'],
    [
      { attack: { type: 'latency' }, steps: [{ magnitude: 90_000, durationSeconds: 60 }] },
      'steps.0.magnitude',
      'ms',
    ],
    [
      { attack: { type: 'rate-limit' }, steps: [{ magnitude: 101, durationSeconds: 60 }] },
      'steps.0.magnitude',
      'between 1 and 100 %',
    ],
    [{ attack: { type: 'rate-limit' }, steps: [{ durationSeconds: 60 }] }, 'steps.0.magnitude', ''],
    [
      { attack: { type: 'connection-drop' }, steps: [{ magnitude: 0, durationSeconds: 60 }] },
      'steps.0.magnitude',
      'between 1 and 100 %',
    ],
    [
      { attack: { type: 'shutdown' }, steps: [{ magnitude: 50, durationSeconds: 60 }] },
      'steps.0.magnitude',
      'no magnitude',
    ],
    [{ abortConditions: [] }, 'abortConditions', 'abort condition'],
    [{ name: '  ' }, 'name', 'name'],
    [{ environment: 'prod' }, 'environment', ''],
  ])('rejects %j at %s', (override, path, words) => {
    const result = experimentSpecSchema.safeParse({ ...cpuSpec(), ...override });
    expect(result.success).toBe(false);
    const issue = result.error?.issues.find((i) => i.path.join('.') === path);
    expect(issue?.message).toContain(words);
  });

  it.each(['rate-limit', 'connection-drop'] as const)(
    'accepts %s with a share of requests from 1 to 100',
    (type) => {
      for (const magnitude of [1, 12.5, 100]) {
        const spec = {
          ...cpuSpec(),
          attack: { type },
          steps: [{ magnitude, durationSeconds: 60 }],
        };
        expect(experimentSpecSchema.safeParse(spec).success).toBe(true);
      }
    },
  );

  it('accepts a shutdown without magnitude', () => {
    const spec = {
      ...cpuSpec(),
      attack: { type: 'shutdown' as const },
      steps: [{ durationSeconds: 60 }],
    };
    expect(experimentSpecSchema.safeParse(spec).success).toBe(true);
  });
});

describe('ramp schedule', () => {
  const steps = cpuSpec().steps;

  it('runs 50 % for 2 min, then 60 % for 2 min', () => {
    expect(
      rampSchedule(steps).map((s) => [s.magnitude, s.startsAtSeconds, s.endsAtSeconds]),
    ).toEqual([
      [50, 0, 120],
      [60, 120, 240],
    ]);
    expect(totalDurationSeconds(steps)).toBe(240);
  });

  it.each([
    [0, 0],
    [119.9, 0],
    [120, 1],
    [239, 1],
  ])('is at step %d after %d s', (elapsed, index) => {
    expect(stepAt(steps, elapsed)?.index).toBe(index);
  });

  it('is over after the last step', () => {
    expect(stepAt(steps, 240)).toBeNull();
  });
});

describe('lifecycle', () => {
  it('moves a draft to running and a running experiment to each end state', () => {
    expect(transition('draft', 'running')).toBe('running');
    for (const end of ['completed', 'aborted', 'halted', 'interrupted'] as const) {
      expect(transition('running', end)).toBe(end);
    }
  });

  it('refuses to start twice or to stop a draft', () => {
    expect(() => transition('running', 'running')).toThrow(TransitionError);
    expect(() => transition('draft', 'halted')).toThrow(
      'an experiment that is draft cannot become halted',
    );
  });

  it('never leaves a terminal state', () => {
    const state = fc.constantFrom<ExperimentState>(...EXPERIMENT_STATES);
    fc.assert(
      fc.property(state, fc.array(state, { maxLength: 20 }), (start, moves) => {
        let current = start;
        let terminal = isTerminal(current) ? current : null;
        for (const next of moves) {
          if (canTransition(current, next)) current = next;
          if (terminal) expect(current).toBe(terminal);
          else if (isTerminal(current)) terminal = current;
        }
      }),
    );
  });
});

describe('injections', () => {
  const spec = cpuSpec();
  const startedAt = 1_000_000;

  it('hold the current step’s magnitude on every target while running', () => {
    const experiment = runningExperiment(spec, startedAt, ['a', 'b']);
    expect(activeInjections(experiment, startedAt + 130_000)).toEqual([
      { experimentId: 'exp-1', instanceId: 'a', attack: 'cpu', magnitude: 60 },
      { experimentId: 'exp-1', instanceId: 'b', attack: 'cpu', magnitude: 60 },
    ]);
  });

  it('are gone once the ramp is over', () => {
    expect(
      activeInjections(runningExperiment(spec, startedAt, ['a']), startedAt + 240_000),
    ).toEqual([]);
  });

  it('are none for a halted, aborted, interrupted or completed experiment, at any time', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<ExperimentState>('halted', 'aborted', 'interrupted', 'completed', 'draft'),
        fc.integer({ min: -1_000_000, max: 1_000_000 }),
        fc.array(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 10 }),
        (state, offset, targets) => {
          const experiment = { ...runningExperiment(spec, startedAt, targets), state };
          expect(activeInjections(experiment, startedAt + offset)).toEqual([]);
        },
      ),
    );
  });
});
