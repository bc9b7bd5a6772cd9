import { isFallback, type FlagEvaluationSeries } from '@/domain/flag-evaluations';

/** One line of the flag-evaluations chart. */
interface EvaluationLine {
  key: string;
  name: string;
  color: string;
  fallback: boolean;
  /** The newest value, evaluations per second. */
  now: number;
}

/** Colours of the lines that are not fallbacks (fallback is always the danger colour). */
const PALETTE = ['var(--fl-ok)', 'var(--fl-accent)', 'var(--fl-warn)', 'var(--fl-service)'];

const newest = (series: FlagEvaluationSeries) => series.points.at(-1)?.perSecond ?? 0;

/** "new-checkout: fallback value (ERROR)", "new-checkout: on (TARGETING_MATCH)" */
function nameOf(series: FlagEvaluationSeries): string {
  const variant = isFallback(series) ? 'fallback value' : series.variant || 'no variant';
  return `${series.flag}: ${variant} (${series.reason || 'no reason'})`;
}

/** The chart's lines, fallbacks first, then by flag and variant; and its rows by time. */
export function evaluationChart(all: readonly FlagEvaluationSeries[]) {
  const sorted = [...all].sort(
    (a, b) =>
      Number(isFallback(b)) - Number(isFallback(a)) ||
      a.flag.localeCompare(b.flag) ||
      a.variant.localeCompare(b.variant) ||
      a.reason.localeCompare(b.reason),
  );
  let colour = 0;
  const lines: EvaluationLine[] = sorted.map((series, index) => {
    const fallback = isFallback(series);
    return {
      key: `s${index}`,
      name: nameOf(series),
      color: fallback ? 'var(--fl-danger)' : (PALETTE[colour++ % PALETTE.length] ?? ''),
      fallback,
      now: newest(series),
    };
  });
  const byTime = new Map<number, Record<string, number>>();
  sorted.forEach((series, index) => {
    for (const point of series.points)
      byTime.set(point.t, {
        ...(byTime.get(point.t) ?? { t: point.t }),
        [`s${index}`]: point.perSecond,
      });
  });
  const rows = [...byTime.values()].sort((a, b) => (a.t ?? 0) - (b.t ?? 0));
  const total = lines.reduce((sum, line) => sum + line.now, 0);
  const fallbackNow = lines.filter((l) => l.fallback).reduce((sum, line) => sum + line.now, 0);
  return { lines, rows, total, fallbackNow };
}
