import { describe, expect, it } from 'vitest';
import {
  dayKey,
  historyStrip,
  publicThresholds,
  stateFromMetrics,
  testedExperiment,
  uptimePercent,
  uptimes,
  type DayState,
  worstState,
} from '../../src/domain';
import { cpuSpec, runningExperiment } from './fixtures';

const calm = { http_5xx_rate: 0.1, error_rate: 0.3, latency_p99: 180 };

describe('service state from metrics', () => {
  it.each([
    [calm, 'operational'],
    [{ ...calm, http_5xx_rate: 0.99 }, 'operational'],
    [{ ...calm, http_5xx_rate: 1 }, 'degraded'],
    [{ ...calm, http_5xx_rate: 4.9 }, 'degraded'],
    [{ ...calm, http_5xx_rate: 5 }, 'outage'],
    [{ ...calm, http_5xx_rate: 40 }, 'outage'],
    [{ ...calm, error_rate: 2.5 }, 'degraded'],
    [{ ...calm, error_rate: 12 }, 'outage'],
    [{ ...calm, latency_p99: 800 }, 'degraded'],
    [{ ...calm, latency_p99: 3500 }, 'outage'],
    [{ ...calm, latency_p99: 900, http_5xx_rate: 6 }, 'outage'],
  ] as const)('%j is %s', (values, state) => {
    expect(stateFromMetrics(values).state).toBe(state);
  });

  it('says which metric is past which limit', () => {
    expect(stateFromMetrics({ ...calm, http_5xx_rate: 7.24, latency_p99: 900 }).reasons).toEqual([
      '5xx rate 7.2 % (outage from 5 %)',
      'p99 latency 900 ms (degraded from 800 ms)',
    ]);
    expect(stateFromMetrics(calm).reasons).toEqual([]);
  });

  it('says the same in plain words for the public page, without metric names', () => {
    const verdict = stateFromMetrics({ http_5xx_rate: 7.24, error_rate: 0.3, latency_p99: 1234 });
    expect(verdict.plainReasons).toEqual([
      'requests failing: 7.2 % of requests (an outage from 5 %)',
      'slower responses: the slowest 1 in 100 requests take 1.2 s (degraded from 800 ms)',
    ]);
    const words = [...verdict.plainReasons, ...publicThresholds().map((t) => t.rule)].join(' ');
    expect(words).not.toMatch(/5xx|p99|latency|rate/i);
    expect(publicThresholds()[0]?.rule).toBe(
      'requests failing: degraded from 1 % of requests, an outage from 5 %',
    );
  });

  it('picks the worst state and has none without data', () => {
    expect(worstState(['operational', null, 'outage', 'degraded'])).toBe('outage');
    expect(worstState([null, null])).toBeNull();
  });
});

describe('90-day history', () => {
  const now = Date.UTC(2025, 3, 10, 15, 30);

  it('has 90 days ending today, oldest first, with no data where no rollup exists', () => {
    const strip = historyStrip([{ day: '2025-04-09', state: 'degraded' }], now);
    expect(strip).toHaveLength(90);
    expect(strip.at(-1)).toMatchObject({ day: '2025-04-10', state: null, observedMs: 0 });
    expect(strip.at(-2)).toMatchObject({ day: '2025-04-09', state: 'degraded' });
    expect(strip[0]?.day).toBe(dayKey(now - 89 * 86_400_000));
  });

  it('keeps the worst state when several rollups share a day (one per environment)', () => {
    const strip = historyStrip(
      [
        { day: '2025-04-10', state: 'operational' },
        { day: '2025-04-10', state: 'outage' },
        { day: '2025-04-10', state: 'degraded' },
      ],
      now,
    );
    expect(strip.at(-1)?.state).toBe('outage');
  });

  it('drops rollups older than the window', () => {
    expect(
      historyStrip([{ day: '2024-01-01', state: 'outage' }], now).every((d) => d.state === null),
    ).toBe(true);
  });

  const HOUR_MS = 3_600_000;
  const day = (day: string, time: Partial<DayState> = {}): DayState => ({
    day,
    state: 'operational',
    observedMs: 24 * HOUR_MS,
    degradedMs: 0,
    outageMs: 0,
    ...time,
  });

  it('counts an outage minute as down and a degraded minute as 30 % down, over measured time only', () => {
    // 2 days measured: 48 h. 1.2 h of outage and 2 h degraded: 1.2 + 0.6 = 1.8 h down.
    const strip = [
      day('a', { state: 'outage', outageMs: 1.2 * HOUR_MS }),
      day('b', { state: 'degraded', degradedMs: 2 * HOUR_MS }),
      day('c', { state: null, observedMs: 0 }),
    ];
    expect(uptimePercent(strip, 30)).toBe(96.25);
    expect(uptimePercent([day('a', { state: null, observedMs: 0 })], 30)).toBeNull();
  });

  it('rounds down, so a service with any downtime never reads 100 %', () => {
    expect(uptimePercent([day('a', { state: 'outage', outageMs: 1_000 })], 30)).toBe(99.99);
    expect(uptimePercent([day('a')], 30)).toBe(100);
  });

  it('states 30 and 90 days apart: an outage 40 days ago counts only in the 90', () => {
    const strip = historyStrip(
      [
        {
          day: dayKey(now - 40 * 86_400_000),
          state: 'outage',
          observedMs: 24 * HOUR_MS,
          outageMs: 24 * HOUR_MS,
        },
        { day: dayKey(now), state: 'operational', observedMs: 24 * HOUR_MS },
      ],
      now,
    );
    expect(uptimes(strip)).toEqual([
      { days: 30, percent: 100 },
      { days: 90, percent: 50 },
    ]);
  });

  it.each([
    [Date.UTC(2025, 0, 6, 0, 0), '2025-01-06'],
    [Date.UTC(2025, 0, 6, 23, 59, 59, 999), '2025-01-06'],
  ])('puts %d on UTC day %s', (at, day) => {
    expect(dayKey(at)).toBe(day);
  });
});

describe('what is being tested now', () => {
  const start = Date.UTC(2025, 0, 6, 9, 0);

  it('reports a running experiment with its step and progress and no people', () => {
    const experiment = {
      ...runningExperiment(cpuSpec(), start, ['h0']),
      run: { ...runningExperiment(cpuSpec(), start, ['h0']).run!, stepIndex: 1 },
    };
    const tested = testedExperiment(experiment, start + 180_000);
    expect(tested).toMatchObject({
      attack: 'extra load on servers',
      stepIndex: 1,
      stepCount: 2,
      progressPercent: 75,
      endsAt: start + 240_000,
    });
    expect(JSON.stringify(tested)).not.toContain('sam-sre');
  });

  it('says nothing about an experiment that is not running', () => {
    expect(
      testedExperiment({ ...runningExperiment(cpuSpec(), start, []), state: 'completed' }, start),
    ).toBeNull();
  });
});
