import { describe, expect, it } from 'vitest';
import {
  attackInWords,
  blastRadiusInWords,
  conditionInWords,
  durationInWords,
  resolveBlastRadius,
  summarizeExperiment,
  type AbortCondition,
  type AttackType,
  type BlastRadius,
  type ExperimentSpec,
} from '../../src/domain';
import { cpuSpec, makeInstances } from './fixtures';

const twelveContainers = makeInstances(4, 3);

function summaryOf(spec: ExperimentSpec): string {
  return summarizeExperiment(spec, resolveBlastRadius(spec.blastRadius, twelveContainers));
}

describe('the review paragraph', () => {
  it('reads as one plain paragraph for the sample CPU experiment', () => {
    expect(summaryOf(cpuSpec())).toBe(
      'Inject 50 % CPU, then 60 %, on 3 of 12 containers of checkout in staging for 4 minutes. ' +
        'Abort if the 5xx rate is above 1 % for 10 s or the error rate keeps rising.',
    );
  });

  it('counts what the blast radius resolves to, not what the form says', () => {
    const spec = cpuSpec({
      blastRadius: {
        scope: 'containers',
        selector: { zone: 'a' },
        mode: 'count',
        value: 50,
        source: { kind: 'selector' },
      },
    });
    // Zone a holds hosts 0 and 3: 6 containers; a count of 50 selects them all.
    expect(summaryOf(spec)).toContain('on all 6 containers of checkout matching zone=a in staging');
  });

  it('names the environment the experiment runs in', () => {
    expect(summaryOf(cpuSpec({ environment: 'production' }))).toContain(
      ' in production for 4 minutes.',
    );
  });

  it('says so when no abort condition is set', () => {
    expect(summaryOf(cpuSpec({ abortConditions: [] }))).toMatch(/No abort condition is set\.$/);
  });

  it('lists three abort conditions with commas and a final "or"', () => {
    const spec = cpuSpec({
      abortConditions: [
        {
          kind: 'threshold',
          metric: 'http_5xx_rate',
          comparator: '>',
          threshold: 1,
          windowSeconds: 10,
          scope: 'target',
        },
        {
          kind: 'threshold',
          metric: 'cpu',
          comparator: '>=',
          threshold: 90,
          windowSeconds: 30,
          scope: 'target',
        },
        { kind: 'rising', metric: 'error_rate', delta: 2, windowSeconds: 30, scope: 'target' },
      ],
    });
    expect(summaryOf(spec)).toMatch(
      /Abort if the 5xx rate is above 1 % for 10 s, the CPU is at least 90 % for 30 s or the error rate keeps rising\.$/,
    );
  });
});

describe('attacks in words', () => {
  const ramp = (...magnitudes: (number | undefined)[]) =>
    magnitudes.map((magnitude) => ({ magnitude, durationSeconds: 60 }));

  it.each<[AttackType, ReturnType<typeof ramp>, string]>([
    ['cpu', ramp(50), 'Inject 50 % CPU'],
    ['cpu', ramp(50, 60, 70), 'Inject 50 % CPU, then 60 %, then 70 %'],
    ['memory', ramp(80), 'Inject 80 % memory'],
    ['latency', ramp(300, 500), 'Inject 300 ms latency, then 500 ms'],
    ['error', ramp(5, 20), 'Answer 5 % of requests with 500, then 20 %'],
    ['rate-limit', ramp(10, 50), 'Answer 10 % of requests with 429, then 50 %'],
    ['connection-drop', ramp(5), 'Cut the connection of 5 % of requests'],
    ['packet-loss', ramp(10), 'Inject 10 % packet loss'],
    ['shutdown', ramp(undefined), 'Shut down'],
    ['cpu', ramp(50, 50, 60), 'Inject 50 % CPU, then 60 %'],
  ])('%s over %j reads "%s"', (type, steps, expected) => {
    expect(attackInWords(type, steps)).toBe(expected);
  });

  it.each<[AttackType, number[], string]>([
    ['memory', [80, 90], 'Inject 80 % memory, then 90 %, on 3 of 12 containers'],
    ['latency', [300], 'Inject 300 ms latency on 3 of 12 containers'],
    ['error', [5, 20], 'Answer 5 % of requests with 500, then 20 %, on 3 of 12 containers'],
    ['packet-loss', [10], 'Inject 10 % packet loss on 3 of 12 containers'],
  ])(
    'a %s experiment starts its paragraph with the attack on the target',
    (type, magnitudes, start) => {
      const spec = cpuSpec({
        attack: { type },
        steps: magnitudes.map((magnitude) => ({ magnitude, durationSeconds: 60 })),
      });
      expect(summaryOf(spec).startsWith(start)).toBe(true);
    },
  );

  it('shuts instances down without an "on"', () => {
    const spec = cpuSpec({ attack: { type: 'shutdown' }, steps: [{ durationSeconds: 300 }] });
    expect(summaryOf(spec)).toMatch(
      /^Shut down 3 of 12 containers of checkout in staging for 5 minutes\./,
    );
  });
});

describe('conditions in words', () => {
  const threshold = (comparator: '>' | '>=' | '<' | '<=', windowSeconds = 10): AbortCondition => ({
    kind: 'threshold',
    metric: 'http_5xx_rate',
    comparator,
    threshold: 1,
    windowSeconds,
    scope: 'target',
  });

  it.each<[string, AbortCondition, string]>([
    ['above', threshold('>'), 'the 5xx rate is above 1 % for 10 s'],
    ['at least', threshold('>='), 'the 5xx rate is at least 1 % for 10 s'],
    ['below', threshold('<'), 'the 5xx rate is below 1 % for 10 s'],
    ['at most', threshold('<='), 'the 5xx rate is at most 1 % for 10 s'],
    ['no window', threshold('>', 0), 'the 5xx rate is above 1 %'],
    ['a long window', threshold('>', 90), 'the 5xx rate is above 1 % for 1 min 30 s'],
    [
      'milliseconds',
      {
        kind: 'threshold',
        metric: 'latency_p99',
        comparator: '>',
        threshold: 800,
        windowSeconds: 30,
        scope: 'target',
      },
      'the p99 latency is above 800 ms for 30 s',
    ],
    [
      'requests per second',
      {
        kind: 'threshold',
        metric: 'request_rate',
        comparator: '<',
        threshold: 5,
        windowSeconds: 0,
        scope: 'target',
      },
      'the request rate is below 5 req/s',
    ],
    [
      'the whole service',
      {
        kind: 'threshold',
        metric: 'error_rate',
        comparator: '>',
        threshold: 10,
        windowSeconds: 10,
        scope: 'service',
      },
      'the error rate of the whole service is above 10 % for 10 s',
    ],
    [
      'rising',
      { kind: 'rising', metric: 'error_rate', delta: 0.5, windowSeconds: 30, scope: 'target' },
      'the error rate keeps rising',
    ],
    [
      'rising on the whole service',
      { kind: 'rising', metric: 'latency_p99', delta: 100, windowSeconds: 60, scope: 'service' },
      'the p99 latency of the whole service keeps rising',
    ],
  ])('%s reads "%s"', (_case, condition, expected) => {
    expect(conditionInWords(condition)).toBe(expected);
  });
});

describe('the blast radius in words', () => {
  const radius = (overrides: Partial<BlastRadius>): BlastRadius => ({
    scope: 'containers',
    selector: {},
    mode: 'all',
    source: { kind: 'selector' },
    ...overrides,
  });

  it.each<[string, BlastRadius, string]>([
    ['all', radius({}), 'all 12 containers of checkout'],
    ['a count', radius({ mode: 'count', value: 2 }), '2 of 12 containers of checkout'],
    ['a percentage', radius({ mode: 'percent', value: 50 }), '6 of 12 containers of checkout'],
    ['hosts', radius({ scope: 'hosts', mode: 'count', value: 1 }), '1 of 4 hosts of checkout'],
    [
      'one host',
      radius({ scope: 'hosts', selector: { version: 'canary' } }),
      'the only host of checkout matching version=canary',
    ],
    [
      'nothing matching',
      radius({ selector: { zone: 'z' } }),
      'no containers of checkout matching zone=z (none match)',
    ],
    [
      'a flag cohort',
      radius({ source: { kind: 'flag', flagKey: 'new-cart' }, mode: 'count', value: 1 }),
      '1 of 12 containers of checkout serving flag new-cart',
    ],
  ])('%s reads "%s"', (_case, blastRadius, expected) => {
    expect(
      blastRadiusInWords(
        blastRadius,
        'checkout',
        resolveBlastRadius(blastRadius, twelveContainers),
      ),
    ).toBe(expected);
  });
});

describe('durations in words', () => {
  it.each([
    [45, '45 seconds'],
    [60, '1 minute'],
    [240, '4 minutes'],
    [90, '1 minute 30 seconds'],
    [3600, '1 hour'],
    [7260, '2 hours 1 minute'],
    [1, '1 second'],
  ])('%d s reads "%s"', (seconds, expected) => {
    expect(durationInWords(seconds)).toBe(expected);
  });
});
