import { usePlotArea, useXAxisScale, useYAxisScale } from 'recharts';
import type { ChartThreshold } from './chart-types';

export interface ChartGuidesProps {
  xTicks: number[];
  yTicks: number[];
  thresholds: ChartThreshold[];
}

/**
 * The grid and the fixed abort thresholds of a chart, drawn with its scales. Each threshold
 * is an image named for what it means ("abort threshold: 5xx rate > 1 % for 10 s"), so it
 * can be found by role and name.
 */
export function ChartGuides({ xTicks, yTicks, thresholds }: ChartGuidesProps) {
  const x = useXAxisScale();
  const y = useYAxisScale();
  const area = usePlotArea();
  if (!x || !y || !area) return null;
  const left = area.x;
  const right = area.x + area.width;
  const top = area.y;
  const bottom = area.y + area.height;
  const atX = (t: number) => x(t) ?? Number.NaN;
  const atY = (v: number) => y(v) ?? Number.NaN;
  return (
    <g className="chart-guides">
      <g stroke="var(--fl-grid)" strokeDasharray="3 3">
        {yTicks.map((v) => (
          <line key={`y${v}`} x1={left} x2={right} y1={atY(v)} y2={atY(v)} />
        ))}
        {xTicks.map((t) => (
          <line key={`x${t}`} x1={atX(t)} x2={atX(t)} y1={top} y2={bottom} />
        ))}
      </g>
      {thresholds.map((t) => (
        <ThresholdLine key={`${t.label}-${t.value}`} label={t.label} y={atY(t.value)} left={left} right={right} top={top} />
      ))}
    </g>
  );
}

/** Marker labels ("step 60 %") sit in this band at the top of the plot (px). */
const MARKER_LABEL_BAND = 16;
/** A threshold's name, 12 px text, sits this far above its line, or below it (baselines, px). */
const ABOVE = 5;
const BELOW = 15;

/**
 * One abort threshold: a dashed line across the plot, named above it, or below it (and below
 * the marker labels) when the line runs so close to the top that its name would cover them.
 */
export function ThresholdLine({ label, y, left, right, top }: { label: string; y: number; left: number; right: number; top: number }) {
  const clear = y - ABOVE - 12 >= top + MARKER_LABEL_BAND;
  const labelY = clear ? y - ABOVE : Math.max(y + BELOW, top + MARKER_LABEL_BAND + BELOW);
  return (
    <g role="img" aria-label={`abort threshold: ${label}`}>
      <line x1={left} x2={right} y1={y} y2={y} stroke="var(--fl-danger)" strokeWidth={1.5} strokeDasharray="7 4" />
      <text x={right - 5} y={labelY} textAnchor="end" fill="var(--fl-danger)" fontSize={12}>
        {label}
      </text>
    </g>
  );
}
