import { describe, expect, it } from 'vitest';
import { fieldIssues, pastStepTimes, rolloutSpecSchema, stepPromotableAt } from '@/domain';

const NOW = Date.UTC(2026, 11, 4, 9, 0, 0);

function canary(steps: unknown[]) {
  return {
    kind: 'canary',
    name: 'Checkout 2.4.0',
    service: 'checkout',
    environment: 'staging',
    newVersion: '2.4.0',
    steps,
    analysis: { metrics: ['http_5xx_rate'], minSamples: 20, confidence: 0.95, tolerance: 0.25 },
  };
}

function flag(steps: unknown[]) {
  const { newVersion: _, ...rest } = canary(steps);
  return { ...rest, kind: 'flag', flagKey: 'new-checkout' };
}

/** The paths of the issues a spec is refused with; [] when it is accepted. */
function refusedPaths(spec: unknown): string[] {
  const result = rolloutSpecSchema.safeParse(spec);
  return result.success ? [] : fieldIssues(result.error).map((i) => i.path);
}

describe('a rollout step with a time', () => {
  it.each([
    ['canary', canary],
    ['flag', flag],
  ])('is accepted in a %s rollout, kept as written', (_, make) => {
    const spec = rolloutSpecSchema.parse(
      make([
        { weight: 5, waitUntil: '2026-12-04T10:00:00+01:00' },
        { weight: 25, waitUntil: '2026-12-04T12:30:00Z' },
        { weight: 50, waitSeconds: 60 },
        { weight: 75 },
        { weight: 100, waitSeconds: 0 },
      ]),
    );
    expect(spec.steps).toEqual([
      { weight: 5, waitSeconds: null, waitUntil: '2026-12-04T10:00:00+01:00' },
      { weight: 25, waitSeconds: null, waitUntil: '2026-12-04T12:30:00Z' },
      { weight: 50, waitSeconds: 60 },
      { weight: 75, waitSeconds: null },
      { weight: 100, waitSeconds: 0 },
    ]);
  });

  it.each([
    ['no offset', [{ weight: 5, waitUntil: '2026-12-04T10:00:00' }], 'steps.0.waitUntil'],
    ['no seconds', [{ weight: 5, waitUntil: '2026-12-04T10:00Z' }], 'steps.0.waitUntil'],
    [
      'a day that does not exist',
      [{ weight: 5, waitUntil: '2026-02-30T10:00:00Z' }],
      'steps.0.waitUntil',
    ],
    ['epoch ms', [{ weight: 5, waitUntil: NOW }], 'steps.0.waitUntil'],
    ['an empty time', [{ weight: 5, waitUntil: '' }], 'steps.0.waitUntil'],
    [
      'a wait and a time',
      [{ weight: 5, waitSeconds: 30, waitUntil: '2026-12-04T10:00:00Z' }],
      'steps.0.waitUntil',
    ],
    [
      'a time before the one of the step before',
      [
        { weight: 5, waitUntil: '2026-12-04T10:00:00Z' },
        { weight: 25, waitUntil: '2026-12-04T10:30:00+01:00' },
      ],
      'steps.1.waitUntil',
    ],
    [
      'the same time as an earlier step, with a wait between',
      [
        { weight: 5, waitUntil: '2026-12-04T10:00:00Z' },
        { weight: 25, waitSeconds: 60 },
        { weight: 50, waitUntil: '2026-12-04T11:00:00+01:00' },
      ],
      'steps.2.waitUntil',
    ],
  ])('is refused with %s, naming the step', (_, steps, path) => {
    expect(refusedPaths(canary(steps))).toEqual([path]);
    expect(refusedPaths(flag(steps))).toEqual([path]);
  });

  it('says what is wrong with the time in words', () => {
    const messages = (steps: unknown[]) => {
      const result = rolloutSpecSchema.safeParse(canary(steps));
      return result.success ? [] : fieldIssues(result.error).map((i) => i.message);
    };
    expect(messages([{ weight: 5, waitUntil: '2026-12-04 10:00' }])).toEqual([
      'give the time as an ISO-8601 date-time with its offset, like 2026-12-04T10:00:00+01:00',
    ]);
    expect(messages([{ weight: 5, waitUntil: '' }])).toEqual([
      'choose the time the step may be promoted at',
    ]);
    expect(messages([{ weight: 5, waitSeconds: 0, waitUntil: '2026-12-04T10:00:00Z' }])).toEqual([
      'a step waits a number of seconds or until a time, not both',
    ]);
    expect(
      messages([
        { weight: 5, waitUntil: '2026-12-04T10:00:00Z' },
        { weight: 25, waitUntil: '2026-12-04T09:00:00Z' },
      ]),
    ).toEqual(["each step's time must be after the one before (2026-12-04T10:00:00Z)"]);
  });

  it('must be in the future when the rollout is created, naming each step that is not', () => {
    const steps = [
      { weight: 5, waitUntil: '2026-12-04T09:00:00Z' },
      { weight: 25, waitSeconds: 60 },
      { weight: 50, waitUntil: '2026-12-04T10:00:00+01:00' },
      { weight: 75, waitUntil: '2026-12-04T09:00:01Z' },
    ];
    expect(pastStepTimes(steps, NOW)).toEqual([
      {
        path: 'steps.0.waitUntil',
        message: 'choose a time in the future (it is 2026-12-04T09:00:00.000Z now)',
      },
      {
        path: 'steps.2.waitUntil',
        message: 'choose a time in the future (it is 2026-12-04T09:00:00.000Z now)',
      },
    ]);
    expect(pastStepTimes(steps, NOW - 1)).toEqual([]);
  });
});

describe('when a step may be promoted', () => {
  const started = NOW - 10_000;
  it.each([
    ['after its wait', { weight: 5, waitSeconds: 30 }, started + 30_000],
    ['at once after a wait of 0', { weight: 5, waitSeconds: 0 }, started],
    [
      'at its time, whenever it started',
      { weight: 5, waitSeconds: null, waitUntil: '2026-12-04T10:30:00+01:00' },
      NOW + 30 * 60_000,
    ],
    ['only by a person', { weight: 5, waitSeconds: null }, null],
  ])('%s', (_, step, at) => {
    expect(stepPromotableAt(step, started)).toBe(at);
  });
});
