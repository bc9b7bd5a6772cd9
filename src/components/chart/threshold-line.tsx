import { MARKER_LABEL_BAND } from './marker-labels';
import { thresholdLabelFor } from './threshold-label';

/** A threshold's name, 12 px text, sits this far above its line, or below it (baselines, px). */
const ABOVE = 5;
const BELOW = 15;

/**
 * One abort threshold: a dashed line across the plot, named above it, or below it (and below
 * the marker labels) when the line runs so close to the top that its name would cover them.
 * The name is shortened to fit the plot (the full one stays its accessible name).
 */
export function ThresholdLine({
  label,
  shortLabel = label,
  y,
  left,
  right,
  top,
}: {
  label: string;
  shortLabel?: string | undefined;
  y: number;
  left: number;
  right: number;
  top: number;
}) {
  const clear = y - ABOVE - 12 >= top + MARKER_LABEL_BAND;
  const labelY = clear ? y - ABOVE : Math.max(y + BELOW, top + MARKER_LABEL_BAND + BELOW);
  const text = thresholdLabelFor(label, shortLabel, right - left - 10);
  return (
    <g role="img" aria-label={`abort threshold: ${label}`}>
      <line
        x1={left}
        x2={right}
        y1={y}
        y2={y}
        stroke="var(--fl-danger)"
        strokeWidth={1.5}
        strokeDasharray="7 4"
      />
      <text x={right - 5} y={labelY} textAnchor="end" fill="var(--fl-danger)" fontSize={12}>
        {text !== label && <title>{label}</title>}
        {text}
      </text>
    </g>
  );
}
