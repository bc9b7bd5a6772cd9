import { render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { AbortOutcome, Experiment, Outcome } from '@/domain/experiment';
import { formatClock } from '@/lib/format';
import { resetLiveMetrics } from '@/lib/live/live-metrics-store';
import { StatusBanner } from '@/features/monitor/status-banner';
import { cpuExperiment, runningExperiment } from '../backend/fixtures';

afterEach(() => resetLiveMetrics());

/** The CPU sample: 25 % of checkout's containers in staging, 50 % for 120 s then 60 % for 120 s. */
function banner(experiment: Experiment) {
  render(<StatusBanner experiment={experiment} />);
  return screen.getByRole('region', { name: 'Experiment status' });
}

/** The value next to a fact's label in the banner. */
function fact(region: HTMLElement, label: string): string {
  const term = within(region).getByText(label, { selector: 'dt' });
  return term.nextElementSibling?.textContent ?? '';
}

/** Ended 150 s into the ramp (in its second step), 50 s ago. */
function ended(outcome: Outcome): Experiment {
  const startedAt = Date.now() - 200_000;
  const running = runningExperiment(startedAt);
  return {
    ...running,
    state: outcome.kind,
    run: { ...running.run!, stepIndex: 1, endedAt: startedAt + 150_000, outcome },
  };
}

describe('the status banner on the monitor', () => {
  it('says a draft has not started, with what it would do', () => {
    const region = banner(cpuExperiment());
    expect(within(region).getByText(/^Draft:/)).toHaveTextContent(
      'Draft: CPU pressure on checkout in staging, not started',
    );
    expect(fact(region, 'Magnitude now')).toBe('–');
    expect(fact(region, 'Step')).toBe('2 planned');
    expect(fact(region, 'Time left')).toBe(`4 min planned`);
    expect(fact(region, 'Blast radius')).toBe('25 % of matching containers');
    expect(within(region).queryByRole('progressbar')).toBeNull();
    expect(within(region).queryByRole('alert')).toBeNull();
  });

  it('says what runs now, how hard, on which instances, and how far through the ramp', () => {
    // 150 s in: the second step (60 %), 90 s left.
    const region = banner(runningExperiment(Date.now() - 150_000));
    expect(within(region).getByText(/^Running:/)).toHaveTextContent(
      'Running: CPU pressure at 60 % on checkout in staging',
    );
    expect(fact(region, 'Magnitude now')).toBe('60 %');
    expect(fact(region, 'Step')).toBe('2 of 2');
    expect(fact(region, 'Time left')).toMatch(/^1 min (2\d|30) s$/);
    expect(fact(region, 'Blast radius')).toBe('2 of 8 containers');
    const progress = within(region).getByRole('progressbar', { name: 'Ramp progress' });
    expect(Number(progress.getAttribute('aria-valuenow'))).toBeGreaterThanOrEqual(62);
    expect(Number(progress.getAttribute('aria-valuenow'))).toBeLessThanOrEqual(64);
    expect(within(region).getByRole('list', { name: 'Instances hit' })).toHaveTextContent(
      'checkout-staging-c1, checkout-staging-c4',
    );
  });

  it('announces an abort, naming the condition and the value that tripped it', () => {
    const at = Date.now() - 50_000;
    const outcome: AbortOutcome = {
      kind: 'aborted',
      at,
      conditionIndex: 0,
      condition: {
        kind: 'threshold',
        metric: 'http_5xx_rate',
        comparator: '>',
        threshold: 1,
        windowSeconds: 10,
        scope: 'target',
      },
      description: '5xx rate > 1 % for 10 s',
      value: 3.2,
      latest: 3.4,
    };
    const region = banner(ended(outcome));
    const alert = within(region).getByRole('alert');
    expect(alert).toHaveTextContent(`Aborted at ${formatClock(at)}: 5xx rate > 1 % for 10 s`);
    expect(alert).toHaveTextContent(/value 3\.2.*threshold 1 %/);
    expect(fact(region, 'Magnitude at the end')).toBe('60 %');
    expect(fact(region, 'Ran for')).toBe('2 min 30 s of 4 min');
    expect(within(region).queryByRole('progressbar')).toBeNull();
  });

  it('says who halted a run, and that it was Halt all, without an alarm', () => {
    const at = Date.now() - 50_000;
    const region = banner(ended({ kind: 'halted', at, by: 'sam-sre', haltAll: true }));
    expect(region).toHaveTextContent(`Halted at ${formatClock(at)} by sam-sre (Halt all).`);
    expect(within(region).queryByRole('alert')).toBeNull();
    expect(fact(region, 'Step')).toBe('2 of 2');
  });

  it('says why a run was halted from elsewhere: the rollout that failed, with its numbers', () => {
    const at = Date.now() - 50_000;
    const reason =
      'rollout "Checkout 2.4.0" (checkout 2.4.0 in staging) rolled back: canary 5xx rate 4.0 % ' +
      'vs stable 0.1 %, +3.9 points [3.1, 4.8], p < 0.001, 180 vs 3,400 requests, 20 samples each';
    const region = banner(ended({ kind: 'halted', at, by: 'faultline', haltAll: false, reason }));
    expect(region).toHaveTextContent(`Halted at ${formatClock(at)} by faultline: ${reason}.`);
  });
});
