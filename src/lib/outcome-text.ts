import { describeCondition, riseUnit } from '@/domain/abort-conditions';
import type { Outcome } from '@/domain/experiment';
import { METRIC_INFO } from '@/domain/metrics';
import { formatClock, formatMetric } from '@/lib/format';

/** One sentence about how a run ended: which condition tripped, with its value and threshold. */
export function outcomeText(outcome: Outcome): string {
  const at = formatClock(outcome.at);
  switch (outcome.kind) {
    case 'completed':
      return `Completed at ${at}: the whole ramp ran and no abort condition tripped.`;
    case 'halted':
      return (
        `Halted at ${at} by ${outcome.by}${outcome.haltAll ? ' (Halt all)' : ''}` +
        (outcome.reason ? `: ${outcome.reason}.` : '.')
      );
    case 'interrupted':
      return `Interrupted at ${at}: ${outcome.reason}.`;
    case 'aborted': {
      if (outcome.noMetrics) return `Aborted at ${at}: ${outcome.description}.`;
      const { condition } = outcome;
      const unit = METRIC_INFO[condition.metric].unit;
      const judged =
        condition.kind === 'threshold'
          ? `value ${formatMetric(condition.metric, outcome.value)}, threshold ${condition.threshold} ${unit}`
          : `rose by ${Math.round(outcome.value * 100) / 100} ${riseUnit(condition)} ` +
            `(limit ${condition.delta}), now ${formatMetric(condition.metric, outcome.latest)}`;
      return `Aborted at ${at}: ${outcome.description || describeCondition(condition)} — ${judged}.`;
    }
  }
}
