import { describe, expect, it } from 'vitest';
import {
  gamedayReport,
  hypothesisMetrics,
  judgeHypothesis,
  withAbort,
  type Gameday,
} from '@/domain';

/** n ticks of 100 requests, valued around `level` by a fixed pattern (no randomness). */
const around = (level: number, n = 240) => ({
  values: Array.from({ length: n }, (_, i) => level + (((i * 37) % 11) - 5) / 50),
  requests: Array.from({ length: n }, () => 100),
});

describe("a chaos experiment's hypothesis, judged target against control", () => {
  it('did not hold when the target is worse, with the judge numbers', () => {
    const verdict = judgeHypothesis([
      { metric: 'http_5xx_rate', target: around(2.1), control: around(0.1) },
    ]);
    expect(verdict.outcome).toBe('not-held');
    expect(verdict.text).toBe(
      'The hypothesis did not hold: target 5xx rate 2.1 % vs control 0.1 %, ' +
        '+2.0 points [1.8, 2.2], p < 0.001, 24,000 vs 24,000 requests, 240 samples each',
    );
    expect(verdict.judgements[0]!.verdict.regression).toBe(true);
  });

  it('held when no metric is worse on the target', () => {
    const verdict = judgeHypothesis([
      { metric: 'http_5xx_rate', target: around(0.1), control: around(0.1) },
      { metric: 'latency_p99', target: around(120), control: around(121) },
    ]);
    expect(verdict.outcome).toBe('held');
    expect(verdict.text).toMatch(/^The hypothesis held: target 5xx rate 0\.1 % vs control 0\.1 %/);
    expect(verdict.judgements).toHaveLength(2);
  });

  it('did not hold when an abort condition ended the run, even if the whole run looks alike', () => {
    const judged = judgeHypothesis([
      { metric: 'error_rate', target: around(0.4), control: around(0.4) },
    ]);
    expect(judged.outcome).toBe('held');
    const verdict = withAbort(judged, {
      description: 'error rate rises by more than 2 percentage points within 30 s',
    });
    expect(verdict.outcome).toBe('not-held');
    expect(verdict.abortedOn).toBe('error rate rises by more than 2 percentage points within 30 s');
    const opening =
      'The hypothesis did not hold: the run aborted on ' +
      '"error rate rises by more than 2 percentage points within 30 s". ' +
      'Over the whole run, target error rate 0.4 % vs control 0.4 %';
    expect(verdict.text.slice(0, opening.length)).toBe(opening);
    expect(verdict.judgements).toEqual(judged.judgements);
  });

  it('keeps the judge’s verdict when the run ended for want of metrics, not on a condition', () => {
    const judged = judgeHypothesis([
      { metric: 'http_5xx_rate', target: around(0.1), control: around(0.1) },
    ]);
    const verdict = withAbort(judged, {
      description: 'no metrics: 5xx rate > 1 % for 10 s',
      noMetrics: { since: 0, reason: 'Prometheus did not answer' },
    });
    expect(verdict).toEqual(judged);
  });

  it('says "not enough data" with too few samples, even when what there is looks fine', () => {
    const verdict = judgeHypothesis([
      { metric: 'http_5xx_rate', target: around(0.1, 10), control: around(0.1, 10) },
    ]);
    expect(verdict.outcome).toBe('not-enough-data');
    expect(verdict.text).toBe(
      'Not enough data to judge the hypothesis: target 5xx rate: not enough data yet ' +
        '(1,000 vs 1,000 requests, 10 samples each, needs 20 samples and 20 requests each)',
    );
    expect(judgeHypothesis([]).outcome).toBe('not-enough-data');
  });

  it('a worse metric wins over one without enough data', () => {
    const verdict = judgeHypothesis([
      { metric: 'http_5xx_rate', target: around(3), control: around(0.1) },
      { metric: 'latency_p99', target: around(120, 2), control: around(120, 2) },
    ]);
    expect(verdict.outcome).toBe('not-held');
  });

  it('is judged on what users feel from the abort conditions, never on CPU', () => {
    expect(hypothesisMetrics([{ metric: 'cpu' }, { metric: 'latency_p99' }])).toEqual([
      'latency_p99',
    ]);
    expect(hypothesisMetrics([{ metric: 'cpu' }])).toEqual(['http_5xx_rate']);
  });

  it('the game-day report carries the verdict of each experiment', () => {
    const gameday = {
      title: 'Checkout',
      description: '',
      startsAt: 0,
      endsAt: 1,
      participants: [],
      experimentIds: ['e1', 'e2'],
      runbook: [],
      hypothesisOutcomes: [],
      findings: { broke: '', surprised: '', followUps: [] },
    } as unknown as Gameday;
    const experiment = {
      name: 'CPU',
      hypothesis: 'Checkout keeps answering',
      service: 'checkout',
      environment: 'staging' as const,
      state: 'completed' as const,
    };
    const text = judgeHypothesis([
      { metric: 'http_5xx_rate', target: around(2.1), control: around(0.1) },
    ]).text;
    const report = gamedayReport({
      gameday,
      experiments: [
        { ...experiment, id: 'e1', run: { verdict: { text } } },
        { ...experiment, id: 'e2', run: { verdict: null } },
      ],
      timeline: [],
    });
    expect(report).toContain(
      '- Judge (target against control): The hypothesis did not hold: target 5xx rate 2.1 % vs control 0.1 %',
    );
    expect(report).toContain(
      '- Judge (target against control): no verdict (the run has not ended, or was interrupted)',
    );
  });
});
