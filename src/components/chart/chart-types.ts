import type { SeriesPoints } from '@/lib/downsample';

export interface ChartSeries {
  name: string;
  /** A CSS colour; theme variables work ("var(--fl-target)"). */
  color: string;
  points: SeriesPoints;
  /** Drawn thinner and dashed: context rather than the subject. */
  secondary?: boolean;
}

/** A horizontal line: where an abort condition trips. */
export interface ChartThreshold {
  value: number;
  label: string;
  /** What is drawn when the label does not fit (the chart's title already names the metric). */
  shortLabel?: string | undefined;
}

/**
 * A sloped line: a "keeps rising" condition, from where the series stood at the window's
 * start (epoch ms, value) to where it would trip now.
 */
export interface ChartSlope {
  from: { t: number; value: number };
  to: { t: number; value: number };
  label: string;
  shortLabel: string;
}

/** A vertical line: the ramp stepped, or the experiment started or stopped. */
export interface ChartMarker {
  t: number;
  label: string;
  tone: 'step' | 'stop';
}

/**
 * The time axis: a fixed span of clock times (epoch ms), or the last `spanMs` up to the
 * newest sample, labelled relative to it ("−15 min" … "now") so it never has to move.
 */
export type TimeAxis =
  { kind: 'fixed'; from: number; to: number } | { kind: 'sliding'; spanMs: number };

/** The clock times an axis covers when the newest sample is at `newest` (epoch ms). */
export function timeRange(axis: TimeAxis, newest: number): [number, number] {
  return axis.kind === 'fixed' ? [axis.from, axis.to] : [newest - axis.spanMs, newest];
}

export function sameTimeAxis(a: TimeAxis, b: TimeAxis): boolean {
  if (a.kind === 'fixed' && b.kind === 'fixed') return a.from === b.from && a.to === b.to;
  if (a.kind === 'sliding' && b.kind === 'sliding') return a.spanMs === b.spanMs;
  return false;
}
