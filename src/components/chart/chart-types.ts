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
}

/** A vertical line: the ramp stepped, or the experiment started or stopped. */
export interface ChartMarker {
  t: number;
  label: string;
  tone: 'step' | 'stop';
}
